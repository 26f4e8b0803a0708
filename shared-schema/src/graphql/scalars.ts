import { DateTimeResolver } from 'graphql-scalars';

/** Every subgraph maps JS Date to the same `DateTime` scalar (RFC 3339, UTC). */
export const DateTimeScalar = DateTimeResolver;
export const sharedScalarsMap = [{ type: Date, scalar: DateTimeScalar }];
