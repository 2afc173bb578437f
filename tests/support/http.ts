import type { App } from '@tongxin/server';
import { TEST_ORIGIN } from './app.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in (or anonymous) client for `app.inject`, sending a same-site Origin. */
export class TestClient {
  cookie: string | null = null;
  constructor(
    private readonly app: App,
    /** The address the requests come from (inject's default, 127.0.0.1, if none). */
    readonly address?: string,
  ) {}

  async request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        ...(method === 'GET' ? {} : { origin: TEST_ORIGIN }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      ...(this.address ? { remoteAddress: this.address } : {}),
    });
    const setCookie = response.cookies.find((c) => c.name.includes('tongxin_session'));
    if (setCookie) this.cookie = setCookie.value ? `${setCookie.name}=${setCookie.value}` : null;
    return response;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body: unknown = {}) => this.request('POST', url, body);
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);

  async register(
    username: string,
    password = 'correct horse battery',
    extra: Record<string, unknown> = {},
  ) {
    const response = await this.post('/api/auth/register', {
      username,
      displayName: username,
      password,
      ...extra,
    });
    if (response.statusCode !== 201) throw new Error(`register failed: ${response.body}`);
    return response.json<{ id: string }>();
  }

  async login(username: string, password: string) {
    return this.post('/api/auth/login', { username, password });
  }
}
