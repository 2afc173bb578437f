import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestLinkCreated } from '@tongxin/shared/roundtables/guests.schemas';
import type { ResultView } from '@tongxin/shared/roundtables/result.schemas';
import type { RoundtableView } from '@tongxin/shared/roundtables/roundtable.schemas';
import { PHOTO_MAX_BYTES } from '@tongxin/shared/roundtables/photos';
import { projectRoom } from '@tongxin/server/roundtables/room';
import { buildTestApp, TEST_ORIGIN, type TestApp } from '../../support/app.ts';
import { onRealPostgres } from '../../support/database.ts';
import { TestClient } from '../../support/http.ts';
import { newUser, signedIn } from '../../support/people.ts';
import { meetingWorld, ok, type MeetingWorld } from '../../support/meeting-world.ts';

let t: TestApp;
let w: MeetingWorld;
let rt: string;

beforeAll(async () => {
  t = await buildTestApp({ demo: true, rateLimit: { user: 100_000, anonymous: 100_000 } });
  w = await meetingWorld(t.app, 3, '楼道堆物');
  rt = `/api/roundtables/${w.id}`;
}, 60_000);
afterAll(() => t.close());

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** The start of a JPEG (SOI, JFIF, then a 640×480 start-of-frame): all the server reads. */
const JPEG = Buffer.from([
  ...[0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01],
  ...[0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00],
  ...[0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03],
  ...new Array<number>(32).fill(0),
]);

function upload(client: TestClient | null, bytes: Buffer, type = 'image/png') {
  return t.app.inject({
    method: 'POST',
    url: '/api/photos',
    headers: {
      origin: TEST_ORIGIN,
      'content-type': type,
      ...(client?.cookie ? { cookie: client.cookie } : {}),
    },
    payload: bytes,
  });
}

async function uploadOk(client: TestClient, bytes = PNG, type = 'image/png'): Promise<string> {
  return ok<{ id: string }>(await upload(client, bytes, type), 201).id;
}

function fetchPhoto(client: TestClient | null, id: string) {
  return t.app.inject({
    method: 'GET',
    url: `/api/photos/${id}`,
    headers: client?.cookie ? { cookie: client.cookie } : {},
  });
}

/** A guest of `roundtableId`, joined by its chair's invite link. */
async function guestOf(chair: TestClient, roundtableId: string, displayName: string) {
  const link = ok<GuestLinkCreated>(
    await chair.post(`/api/roundtables/${roundtableId}/guest-link`, {}),
    201,
  );
  const token = new URL(link.path, 'http://x').searchParams.get('token')!;
  const guest = new TestClient(t.app);
  ok(await guest.post(`/api/roundtables/${roundtableId}/guests`, { token, displayName }), 201);
  return guest;
}

const count = async (table: 'topics' | 'photos' | 'actionUpdates') =>
  Number(
    (
      await t.app.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const errorOf = (res: { json: () => unknown }) =>
  (res.json() as { error: { code: string; message: string; field?: string } }).error;

describe(`photos on topics and progress updates (${onRealPostgres() ? 'real Postgres' : 'PGlite'})`, () => {
  it('takes a photo as the raw image and serves it back only to its uploader until posted', async () => {
    const [a, b] = w.people;
    const id = await uploadOk(a!.client);
    const row = await t.app.db
      .selectFrom('photos')
      .select(['uploadedBy', 'contentType', 'width', 'height', 'topicId', 'position'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      uploadedBy: a!.userId,
      contentType: 'image/png',
      width: 1,
      height: 1,
      topicId: null,
      position: null,
    });

    const res = await fetchPhoto(a!.client, id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(PNG)).toBe(true);

    expect((await fetchPhoto(b!.client, id)).statusCode).toBe(404);
    expect((await fetchPhoto(null, id)).statusCode).toBe(401);
    expect((await upload(null, PNG)).statusCode).toBe(401);

    const jpeg = await uploadOk(a!.client, JPEG, 'image/jpeg');
    const size = await t.app.db
      .selectFrom('photos')
      .select(['width', 'height'])
      .where('id', '=', jpeg)
      .executeTakeFirstOrThrow();
    expect(size).toEqual({ width: 640, height: 480 });
  });

  it('refuses another media type with 415 and words about photos', async () => {
    const before = await count('photos');
    for (const type of ['image/gif', 'application/xml', 'image/svg+xml']) {
      const res = await upload(w.people[0]!.client, PNG, type);
      expect(res.statusCode, type).toBe(415);
      expect(errorOf(res).code).toBe('photo_type_unsupported');
      expect(errorOf(res).message).toContain('JPEG、PNG 或 WebP');
    }
    expect(await count('photos')).toBe(before);
  });

  it('refuses bytes that are not the declared image with 400', async () => {
    const client = w.people[0]!.client;
    const before = await count('photos');
    for (const [bytes, type] of [
      [PNG, 'image/jpeg'],
      [JPEG, 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/webp'],
      [Buffer.from('RIFF\0\0\0\0WAVEfmt '), 'image/webp'],
    ] as const) {
      const res = await upload(client, bytes, type);
      expect(res.statusCode, type).toBe(400);
      expect(errorOf(res)).toMatchObject({
        code: 'photo_type_mismatch',
        params: { type: expect.any(String) },
      });
      expect(errorOf(res).message).toContain('文件内容不是');
    }
    // Two refusals of one verb (upload), two codes.
    const json = await w.people[0]!.client.post('/api/photos', { photo: 'x' });
    expect(json.statusCode).toBe(400);
    expect(errorOf(json).code).toBe('photo_not_a_file');
    expect(await count('photos')).toBe(before);
  });

  it('takes exactly 5 MiB and refuses one byte more with 413', async () => {
    const client = w.people[1]!.client;
    const full = Buffer.alloc(PHOTO_MAX_BYTES);
    PNG.copy(full);
    await uploadOk(client, full);
    const before = await count('photos');
    const res = await upload(client, Buffer.alloc(PHOTO_MAX_BYTES + 1).fill(PNG, 0, PNG.length));
    expect(res.statusCode).toBe(413);
    expect(errorOf(res)).toMatchObject({ code: 'photo_too_large', params: { mb: 5 } });
    expect(errorOf(res).message).toContain('5 MB');
    expect(await count('photos')).toBe(before);
  });

  it('lets a guest watch but not upload', async () => {
    const guest = await guestOf(w.chair, w.id, '王律师');
    const res = await upload(guest, PNG);
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).code).toBe('guest_no_photos');
    expect(errorOf(res).message).toContain('访客');
  });

  it('attaches only my own unattached photos, in the same transaction as the topic', async () => {
    const [a, b] = w.people;
    const mine = await uploadOk(a!.client);
    const theirs = await uploadOk(b!.client);
    const topics = await count('topics');
    const raise = (photoIds: string[], title = '楼道里堆满纸箱') =>
      a!.client.post(`${rt}/topics`, { title, category: 'other', photoIds });

    const foreign = await raise([mine, theirs]);
    expect(foreign.statusCode).toBe(403);
    expect(errorOf(foreign)).toMatchObject({ code: 'photo_not_yours', field: 'photoIds' });
    expect(await count('topics')).toBe(topics);

    const missing = await raise(['00000000-0000-4000-8000-000000000000']);
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing)).toMatchObject({ code: 'photo_missing', field: 'photoIds' });
    expect((await raise([mine, mine])).statusCode).toBe(400);
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => uploadOk(a!.client)));
    expect((await raise(five)).statusCode).toBe(400);
    expect(await count('topics')).toBe(topics);

    const { id: first } = ok<{ id: string }>(await raise([mine]), 201);
    const twice = await raise([mine], '又一个议题');
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice)).toMatchObject({ code: 'photo_already_attached', field: 'photoIds' });
    expect(await count('topics')).toBe(topics + 1);
    const row = await t.app.db
      .selectFrom('photos')
      .select(['topicId', 'position'])
      .where('id', '=', mine)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ topicId: first, position: 0 });

    // The same photo raced onto two topics: the row lock lets exactly one take it.
    const raced = await uploadOk(a!.client);
    const results = await Promise.all([raise([raced], '并发一'), raise([raced], '并发二')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('shows a topic’s photos to those who may see the topic, and their ids in every list', async () => {
    const [a, b] = w.people;
    const photoIds = [await uploadOk(a!.client), await uploadOk(a!.client, JPEG, 'image/jpeg')];
    const { id: topicId } = ok<{ id: string }>(
      await a!.client.post(`${rt}/topics`, { title: '电动车进楼', category: 'other', photoIds }),
      201,
    );
    const [shown] = photoIds;
    // Submitted: the raiser, other participants and the chair see it; an outsider does not.
    const observer = await signedIn(t.app, await newUser(t.app, '外小区居民'));
    expect((await fetchPhoto(b!.client, shown!)).statusCode).toBe(200);
    expect((await fetchPhoto(w.chair, shown!)).statusCode).toBe(200);
    expect((await fetchPhoto(observer, shown!)).statusCode).toBe(404);
    expect((await fetchPhoto(null, shown!)).statusCode).toBe(401);

    // The chair's screening list carries the ids.
    const view = ok<RoundtableView>(await w.chair.get(rt));
    expect(view.topics.find((x) => x.id === topicId)?.photoIds).toEqual(photoIds);
    expect(view.topics.find((x) => x.id === w.topicId)?.photoIds).toEqual([]);

    ok(await w.chair.post(`/api/topics/${topicId}/screen`, { decision: 'accept' }));
    expect((await fetchPhoto(b!.client, shown!)).statusCode).toBe(200);
    // Accepted, but not yet published: an outsider still sees no meeting at all.
    expect((await fetchPhoto(observer, shown!)).statusCode).toBe(404);
    const room = await projectRoom(t.app.db, w.id);
    expect(room?.room.agenda.find((x) => x.id === topicId)?.photoIds).toEqual(photoIds);
    const result = ok<ResultView>(await w.chair.get(`${rt}/result`));
    expect(result.topics.find((x) => x.id === topicId)?.photoIds).toEqual(photoIds);

    // A guest of another roundtable is told this one is not there.
    const other = await meetingWorld(t.app, 1, '别的会');
    const guest = await guestOf(other.chair, other.id, '外来访客');
    expect((await fetchPhoto(guest, shown!)).statusCode).toBe(404);
  });

  it('declined: the photo stays with the raiser and the chair', async () => {
    const [a, b] = w.people;
    const photo = await uploadOk(a!.client);
    const { id: topicId } = ok<{ id: string }>(
      await a!.client.post(`${rt}/topics`, {
        title: '想装健身器材',
        category: 'other',
        photoIds: [photo],
      }),
      201,
    );
    ok(
      await w.chair.post(`/api/topics/${topicId}/screen`, {
        decision: 'decline',
        reason: '不属于本次议题范围',
      }),
    );
    expect((await fetchPhoto(a!.client, photo)).statusCode).toBe(200);
    expect((await fetchPhoto(w.chair, photo)).statusCode).toBe(200);
    expect((await fetchPhoto(b!.client, photo)).statusCode).toBe(404);
  });

  it('attaches photos to a progress update, shown on the item in the room', async () => {
    const [raiser, , helper] = w.people;
    ok(
      await w.chair.post(`/api/topics/${w.topicId}/resolution`, { text: '清理楼道，一周内完成。' }),
      201,
    );
    // Topics raised above were accepted or declined; the rest are declined so 议事 can end.
    const open = ok<RoundtableView>(await w.chair.get(rt)).topics.filter(
      (x) => x.status === 'submitted' || (x.status === 'accepted' && x.id !== w.topicId),
    );
    for (const x of open) {
      if (x.status === 'submitted')
        ok(
          await w.chair.post(`/api/topics/${x.id}/screen`, { decision: 'decline', reason: '重复' }),
        );
      else
        ok(await w.chair.post(`/api/topics/${x.id}/resolution`, { text: '下次再议此事。' }), 201);
    }
    ok(await w.chair.post(`${rt}/advance`, { from: 'discuss' }));
    const { id: itemId } = ok<{ id: string }>(
      await w.chair.post(`/api/topics/${w.topicId}/action-items`, {
        title: '清理纸箱',
        ownerKind: 'person',
        ownerId: helper!.userId,
        deadline: '2026-12-31',
      }),
      201,
    );
    const photos = [await uploadOk(helper!.client), await uploadOk(helper!.client)];
    const updates = await count('actionUpdates');
    const stranger = await uploadOk(raiser!.client);
    const refused = await helper!.client.post(`/api/action-items/${itemId}/updates`, {
      note: '已清理一半',
      photoIds: [photos[0], stranger],
    });
    expect(refused.statusCode).toBe(403);
    expect(await count('actionUpdates')).toBe(updates);

    ok(
      await helper!.client.post(`/api/action-items/${itemId}/updates`, {
        note: '已清理一半',
        status: 'in_progress',
        photoIds: photos,
      }),
      201,
    );
    const room = await projectRoom(t.app.db, w.id);
    expect(room?.room.items.find((i) => i.id === itemId)?.lastUpdate?.photoIds).toEqual(photos);
    expect((await fetchPhoto(raiser!.client, photos[1]!)).statusCode).toBe(200);
    expect((await fetchPhoto(null, photos[1]!)).statusCode).toBe(401);

    // Once closed, agenda topics' photos are as public as the result; update photos are not.
    await t.app.db
      .updateTable('roundtables')
      .set({ stage: 'closed' })
      .where('id', '=', w.id)
      .execute();
    const agendaPhoto = ok<ResultView>(await new TestClient(t.app).get(`${rt}/result`)).topics.find(
      (x) => x.photoIds.length > 0,
    )!.photoIds[0]!;
    expect((await fetchPhoto(null, agendaPhoto)).statusCode).toBe(200);
    expect((await fetchPhoto(null, photos[1]!)).statusCode).toBe(401);
  });
});
