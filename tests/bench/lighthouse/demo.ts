import { DEMO_PASSWORD } from '@tongxin/db/demo/seed-demo';

/** `name=value` of a session cookie for a demo account, signed in through the API. */
export async function signedInCookie(origin: string, username: string): Promise<string> {
  const response = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`login as ${username}: ${response.status}`);
  return cookie;
}

/** The path of the room of the roundtable with this title, as the signed-in person sees it. */
export async function roomPath(origin: string, cookie: string, title: string): Promise<string> {
  const response = await fetch(`${origin}/api/roundtables`, { headers: { cookie } });
  const list = (await response.json()) as Array<{ id: string; title: string }>;
  const found = list.find((r) => r.title === title);
  if (!found) throw new Error(`no roundtable ${title} for this account`);
  return `/roundtables/${found.id}`;
}
