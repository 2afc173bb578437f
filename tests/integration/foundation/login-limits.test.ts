import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../support/app.ts';
import { TestClient } from '../../support/http.ts';

const MINUTE = 60_000;
/** The clock the login limits read: moved on by the tests, never waited for. */
let now = Date.now();

let t: TestApp;
beforeAll(async () => {
  // The default request budgets: what a real hall meets.
  t = await buildTestApp({ now: () => new Date(now) });
});
afterAll(() => t.close());

const from = (address: string) => new TestClient(t.app, address);

/** `n` accounts sharing one password (hashed once, by registering the first). */
async function accounts(prefix: string, n: number, password: string): Promise<string[]> {
  const first = `${prefix}0`;
  await from('10.9.9.9').register(first, password);
  const { passwordHash } = await t.app.db
    .selectFrom('users')
    .select('passwordHash')
    .where('username', '=', first)
    .executeTakeFirstOrThrow();
  const rest = Array.from({ length: n - 1 }, (_, i) => `${prefix}${i + 1}`);
  if (rest.length)
    await t.app.db
      .insertInto('users')
      .values(rest.map((username) => ({ username, displayName: username, passwordHash })))
      .execute();
  return [first, ...rest];
}

async function failuresOf(key: string) {
  const row = await t.app.db
    .selectFrom('loginFailures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('usernameKey', '=', key)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('a hall behind one address', () => {
  it('lets 300 phones behind one address open the app and log in at once, every one', async () => {
    const names = await accounts('hall', 300, 'hall password');
    const hall = '10.0.0.1';
    const statuses = await Promise.all(
      names.map(async (name) => {
        const phone = from(hall);
        // What the app asks on opening, signed out, then the login itself.
        const opened = await phone.get('/api/auth/session');
        const login = await phone.login(name, 'hall password');
        return [opened.statusCode, login.statusCode];
      }),
    );
    expect(statuses.flat().filter((s) => s !== 200)).toEqual([]);
  });
});

describe('guessing at one account', () => {
  it('locks the account after 5 wrong passwords, saying when to try again; others log in', async () => {
    const [target, bystander] = await accounts('target', 2, 'the real password');
    const address = '10.0.0.2';
    for (let i = 1; i <= 5; i++)
      expect((await from(address).login(target!, `guess ${i}`)).statusCode).toBe(401);
    const sixth = await from(address).login(target!.toUpperCase(), 'guess 6');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['retry-after']).toBe('900');
    expect(sixth.json().error).toEqual({
      code: 'account_locked',
      message: '此账号密码错误次数过多，已暂时锁定，请 15 分钟后再试。',
      params: { minutes: 15 },
    });
    const english = await new TestClient(t.app, address).request(
      'POST',
      '/api/auth/login',
      { username: target, password: 'the real password' },
      { 'accept-language': 'en' },
    );
    expect(english.statusCode).toBe(429);
    expect(english.json().error.message).toBe(
      'Too many wrong passwords for this account. Try again in 15 min.',
    );
    // The same address, another account: not held up.
    expect((await from(address).login(bystander!, 'the real password')).statusCode).toBe(200);

    // Ten minutes on, still locked, and told the five minutes left.
    now += 10 * MINUTE;
    const later = await from(address).login(target!, 'the real password');
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe('300');
    expect(later.json().error).toMatchObject({ code: 'account_locked', params: { minutes: 5 } });
    // Once the window has passed, the right password works, and clears the count.
    now += 5 * MINUTE + 1000;
    expect((await from(address).login(target!, 'the real password')).statusCode).toBe(200);
    expect(await failuresOf(target!)).toBe(0);
  });

  it('checks at most 5 of 100 parallel guesses, then refuses even the right password', async () => {
    const [besieged] = await accounts('besieged', 1, 'the real password');
    const attempts = [
      ...Array.from({ length: 100 }, (_, i) => `wrong ${i}`),
      'the real password',
    ].map((password) => from('10.0.0.3').login(besieged!, password));
    const statuses = (await Promise.all(attempts)).map((r) => r.statusCode);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    // Every wrong guess that was checked answered 401: no more than the limit.
    expect(count(401)).toBe(5);
    expect(count(401) + count(429) + count(200)).toBe(101);
    expect((await from('10.0.0.3').login(besieged!, 'the real password')).statusCode).toBe(429);
    expect(await failuresOf(besieged!)).toBe(5);
  });

  it('does not count a right password as a failure', async () => {
    const [regular] = await accounts('regular', 1, 'regular password');
    for (let i = 0; i < 12; i++)
      expect((await from('10.0.0.4').login(regular!, 'regular password')).statusCode).toBe(200);
  });
});

describe('a sweep from one address', () => {
  it('stops an address after 100 wrong passwords over any accounts; other addresses go on', async () => {
    const [victim] = await accounts('victim', 1, 'victim password');
    const sweeper = '10.0.0.5';
    // Four guesses per account: no account is locked, the address is.
    for (let i = 0; i < 100; i++)
      expect((await from(sweeper).login(`swept${i % 25}`, 'guess')).statusCode).toBe(401);
    const stopped = await from(sweeper).login(victim!, 'victim password');
    expect(stopped.statusCode).toBe(429);
    // Refused for another reason than a locked account, so with another code.
    expect(stopped.json().error).toMatchObject({
      code: 'address_locked',
      params: { minutes: 15 },
      message: '此网络登录失败次数过多，请 15 分钟后再试。',
    });
    expect((await from('10.0.0.6').login(victim!, 'victim password')).statusCode).toBe(200);
  });

  it('limits login attempts per address apart from other requests', async () => {
    const small = await buildTestApp({ rateLimit: { user: 100, anonymous: 100, login: 3 } });
    try {
      const client = new TestClient(small.app, '10.0.0.7');
      for (let i = 0; i < 3; i++)
        expect((await client.login('nobody', 'guess')).statusCode).toBe(401);
      expect((await client.login('nobody', 'guess')).statusCode).toBe(429);
      // Logging in from elsewhere, and the address's other requests, go on.
      expect((await new TestClient(small.app, '10.0.0.8').login('x', 'y')).statusCode).toBe(401);
      expect((await client.get('/api/places')).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});
