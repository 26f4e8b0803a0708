import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, createServer, type AddressInfo } from 'node:net';

// jest.unit-guard.js keeps the unit layer free of infrastructure: proved here, in a unit test file.
describe('the unit guard', () => {
  it('refuses MariaDB, Redis, the Docker socket and addresses off loopback, naming what was reached', () => {
    expect(() => connect(3306, '127.0.0.1')).toThrow(
      /connect to MariaDB \(port 3306\): unit tests use no infrastructure/,
    );
    expect(() => connect({ port: 6379, host: 'localhost' })).toThrow(/connect to Redis/);
    expect(() => connect('/var/run/docker.sock')).toThrow(/connect to \/var\/run\/docker\.sock/);
    expect(() => connect(443, '192.0.2.1')).toThrow(/connect to 192\.0\.2\.1:443/);
  });

  it('refuses running docker, zfs and the database client', () => {
    for (const command of ['docker', '/usr/sbin/zfs', 'mysql']) {
      expect(() => execFileSync(command, ['--version'])).toThrow(/unit tests use no infrastructure/);
    }
  });

  it('lets a test talk to a server of its own on loopback and run other programs', async () => {
    const server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(reply).toBe('hello');
    } finally {
      server.close();
    }
    expect(execFileSync('true').toString()).toBe('');
    // execFile keeps its promisified form ({ stdout, stderr }), and the refusal there too.
    expect(await promisify(execFile)('echo', ['hello'])).toEqual({ stdout: 'hello\n', stderr: '' });
    await expect(promisify(execFile)('docker', ['ps'])).rejects.toThrow(/run docker: unit tests use no infrastructure/);
  });
});
