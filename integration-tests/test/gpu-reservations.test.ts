import { signedUpAdmin, signedUpUser, type SignedIn } from '../testkit/flows';
import { ApiClient } from '../testkit/client';
import { startTestStack, type TestStack } from '../testkit/stack';

const FIELDS = 'id gpuIndex status note startsAt endsAt users { id displayName } requestedBy { id }';
const REQUEST = `mutation($input: GpuReservationInput!) { requestGpuReservation(input: $input) { ${FIELDS} } }`;
const BOOK = `mutation($input: GpuReservationInput!, $userIds: [ID!]!) { bookGpuReservation(input: $input, userIds: $userIds) { ${FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!) { decideGpuReservation(id: $id, approve: $approve) { ${FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelGpuReservation(id: $id) { ${FIELDS} } }`;
const MINE = `{ myGpuReservations { ${FIELDS} } }`;
const ALL = `{ gpuReservations { ${FIELDS} users { email } } }`;

/**
 * GPU reservations through the gateway: who may ask, book, decide, cancel and see which, with specific
 * errors for bad windows and collisions. What bookings do to allocation and running sessions:
 * subgraphs/session-runtime/test/integration/gpu-reservations.test.ts.
 */
describe('GPU reservations through the API', () => {
  let stack: TestStack;
  let ada: SignedIn;
  let bob: SignedIn;
  let admin: SignedIn;
  const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
  const window = (gpuIndex: number | null, from: number, to: number, note = '') => ({
    gpuIndex,
    startsAt: hoursFromNow(from),
    endsAt: hoursFromNow(to),
    note,
  });
  const code = (body: { errors?: Array<{ extensions: { code: string } }> }) => body.errors?.[0]?.extensions.code;

  beforeAll(async () => {
    stack = await startTestStack();
    [ada, bob, admin] = await Promise.all([
      signedUpUser(stack, 'ada-res'),
      signedUpUser(stack, 'bob-res'),
      signedUpAdmin(stack, 'admin-res'),
    ]);
  }, 60_000);

  afterAll(() => stack?.stop());

  it('takes a request to an administrator, who approves it; its user sees it, others do not', async () => {
    const asked = await ada.client.graphql(REQUEST, { input: window(2, 24, 27, 'MICCAI deadline') });
    const reservation = asked.body.data.requestGpuReservation;
    expect(reservation).toMatchObject({ gpuIndex: 2, status: 'REQUESTED', note: 'MICCAI deadline' });
    expect(reservation.users).toEqual([{ id: ada.userId, displayName: expect.any(String) }]);
    expect(code((await ada.client.graphql(DECIDE, { id: reservation.id, approve: true })).body)).toBe('FORBIDDEN');
    expect(code((await bob.client.graphql(CANCEL, { id: reservation.id })).body)).toBe('NOT_FOUND');
    expect((await bob.client.graphql(MINE)).body.data.myGpuReservations).toEqual([]);
    expect(code((await bob.client.graphql(ALL)).body)).toBe('FORBIDDEN');

    const approved = await admin.client.graphql(DECIDE, { id: reservation.id, approve: true });
    expect(approved.body.data.decideGpuReservation.status).toBe('APPROVED');
    expect((await ada.client.graphql(MINE)).body.data.myGpuReservations).toEqual([
      expect.objectContaining({ id: reservation.id, status: 'APPROVED' }),
    ]);
    const listed = (await admin.client.graphql(ALL)).body.data.gpuReservations;
    expect(listed.find((r: { id: string }) => r.id === reservation.id).users).toEqual([
      expect.objectContaining({ id: ada.userId, email: ada.email }),
    ]);
    expect((await ada.client.graphql(CANCEL, { id: reservation.id })).body.data.cancelGpuReservation.status).toBe(
      'CANCELLED',
    );
  });

  it('lets only administrators book for a group, and names the booking a new one collides with', async () => {
    const users = [ada.userId, bob.userId];
    expect(code((await ada.client.graphql(BOOK, { input: window(1, 48, 50), userIds: users })).body)).toBe('FORBIDDEN');
    const booked = (await admin.client.graphql(BOOK, { input: window(1, 48, 50, 'course'), userIds: users })).body.data
      .bookGpuReservation;
    expect(booked.status).toBe('APPROVED');
    expect(booked.users.map((u: { id: string }) => u.id).sort()).toEqual([...users].sort());
    // A group's booking is the admin's to cancel; its members cannot withdraw it for everyone.
    expect(code((await bob.client.graphql(CANCEL, { id: booked.id })).body)).toBe('NOT_FOUND');
    const collision = await bob.client.graphql(REQUEST, { input: window(1, 49, 51) });
    expect(code(collision.body)).toBe('CONFLICT');
    expect(collision.body.errors[0].message).toContain(`reservation ${booked.id}`);
  });

  it('answers bad windows and unknown GPUs with specific errors', async () => {
    const cases: Array<[ReturnType<typeof window>, string, RegExp]> = [
      [window(0, -2, 1), 'BAD_USER_INPUT', /cannot start in the past/],
      [window(0, 5, 4), 'BAD_USER_INPUT', /must end after it starts/],
      [window(0, 1, 500), 'BAD_USER_INPUT', /at most 168 hours/],
      [window(99, 1, 2), 'NOT_FOUND', /No GPU with index 99/],
    ];
    for (const [input, expected, message] of cases) {
      const { body } = await ada.client.graphql(REQUEST, { input });
      expect({ code: code(body), message: body.errors[0].message }).toEqual({
        code: expected,
        message: expect.stringMatching(message),
      });
    }
    const anonymous = await new ApiClient(stack.gateway.url).graphql(REQUEST, { input: window(0, 1, 2) });
    expect(code(anonymous.body)).toBe('UNAUTHENTICATED');
  });
});
