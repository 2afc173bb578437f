import { describe, expect, it } from 'vitest';
import { demoCorridorPng } from '@tongxin/db/demo/demo-photo';
import { useDemoApp } from '../support/browser.ts';

// A resident on a phone raises a topic with a photo straight from the camera: the page
// scales it down before upload, shows it while the form waits, and the topic then shows it.

const app = useDemoApp();

describe('photos on a raised topic', () => {
  it('scales a large photo down, uploads it and shows it on the topic', async () => {
    const phone = await app.signIn('resident', { width: 375, height: 812 });
    await phone.goto(`${app.url}/roundtables`);
    await phone.getByRole('link', { name: /电动车充电难/ }).click();
    // The demo's current topic carries a photo.
    await phone.getByRole('img', { name: '议题照片 1' }).first().waitFor();

    await phone.getByText('全部议题与提事').click();
    await phone.getByRole('textbox', { name: '议题', exact: true }).fill('楼道电瓶堆放');
    await phone.getByLabel('添加照片').setInputFiles({
      name: 'IMG_0001.png',
      mimeType: 'image/png',
      buffer: demoCorridorPng(3200, 2400),
    });
    await phone.getByRole('img', { name: '已选照片 1' }).waitFor();
    await phone.getByText('已上传').waitFor();
    await phone.getByLabel('添加照片').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a photo'),
    });
    await phone.getByText('“notes.txt”不是 JPEG、PNG 或 WebP 格式的照片').waitFor();
    await phone.screenshot({ path: '/tmp/roundtable-photo-picker-phone.png', fullPage: true });

    await phone.getByRole('button', { name: '提交议题' }).click();
    const shown = phone
      .getByRole('listitem')
      .filter({ hasText: '楼道电瓶堆放' })
      .getByRole('img', { name: '议题照片 1' });
    await shown.waitFor();
    // Scaled to 1600 px on the longer side, as a JPEG, before it left the phone.
    const naturalWidth = () =>
      shown.evaluate((img) => (img as { naturalWidth?: number }).naturalWidth);
    await expect.poll(naturalWidth).toBe(1600);
    const src = await shown.getAttribute('src');
    const response = await phone.request.get(new URL(src!, app.url).toString());
    expect(response.headers()['content-type']).toBe('image/jpeg');
  });
});
