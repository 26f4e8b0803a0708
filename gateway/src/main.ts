import { runService } from '@medforge/shared-schema';

import { startGateway } from './app';
import { loadGatewayConfig } from './config';

runService('gateway', () => startGateway(loadGatewayConfig()));
