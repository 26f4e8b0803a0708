import { parseActivity } from '../src/adapters/docker-runtime';

// The heartbeat's mtime, then /proc/net/tcp and tcp6 as a session container prints them.
const OUTPUT = `1796283175
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 514578 1
   1: 00000000:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 514572 1
   2: 020011AC:08AE 010011AC:D2C4 01 00000000:00000000 02:000A1B2C 00000000  1000        0 519876 2
   3: 020011AC:1F90 010011AC:C350 01 00000000:00000000 02:000A1B2C 00000000  1000        0 519877 2
  sl  local_address                         remote_address                        st tx_queue rx_queue
   0: 0000000000000000FFFF0000020011AC:08AE 0000000000000000FFFF0000010011AC:A1B2 01 00000000:00000000
   1: 0000000000000000FFFF0000020011AC:08AE 0000000000000000FFFF0000010011AC:A1B3 06 00000000:00000000
`;

describe('session activity', () => {
  it("reads code-server's heartbeat and counts established SSH connections (v4 and v6), not listeners", () => {
    expect(parseActivity(OUTPUT)).toEqual({
      workbenchAt: new Date(1796283175 * 1000),
      sshConnections: 2,
      cpuUsageNs: null,
      keptProcesses: [],
    });
  });

  it('has no workbench time before code-server wrote its heartbeat', () => {
    expect(parseActivity('0\n')).toEqual({ workbenchAt: null, sshConnections: 0, cpuUsageNs: null, keptProcesses: [] });
  });

  it("reads the container's CPU time from its cgroup, v2 (microseconds) or v1 (nanoseconds)", () => {
    expect(parseActivity('0\ncpu-usec 1500000\n').cpuUsageNs).toBe(1_500_000_000);
    expect(parseActivity('0\ncpu-ns 86449546\n').cpuUsageNs).toBe(86_449_546);
  });

  it('lists the processes marked with medforge keepalive that still run', () => {
    expect(parseActivity('0\nkeep 4242 python train.py --fold 0\nkeep 77 \n').keptProcesses).toEqual([
      { pid: 4242, command: 'python train.py --fold 0' },
      { pid: 77, command: '' },
    ]);
  });
});
