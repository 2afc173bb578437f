import { describe, expect, it } from 'vitest';
import { useDemoApp } from '../support/browser.ts';

// 分类派单 on the secretary's phone: every category with who receives it (the demo sends
// e-bike charging to 区供电公司), changed with a select and saved, at 375 px without
// scrolling sideways; and it stands after a reload.

const app = useDemoApp();
const PHONE = { width: 375, height: 812 };

describe('分类派单 on a phone', () => {
  it(
    'shows each category’s owner and routes parking to a service team',
    { timeout: 120_000 },
    async () => {
      const page = await app.signIn('secretary', PHONE);
      await page.goto(`${app.url}/problems/routing`);
      await page.getByRole('heading', { level: 1, name: '分类派单' }).waitFor();

      const ebike = page.getByRole('form', { name: '电动车充电' });
      expect(await ebike.getByLabel('派给').inputValue()).toMatch(/^unit:/);
      await ebike.getByText('12 小时内答复').waitFor();

      const parking = page.getByRole('form', { name: '停车' });
      await parking.getByLabel('派给').selectOption({ label: '服务队：文明劝导队' });
      await parking.getByRole('button', { name: '保存' }).click();
      await parking.getByText('已保存').waitFor();

      const { scrollWidth, width } = await page.evaluate<{ scrollWidth: number; width: number }>(
        `({ scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth })`,
      );
      expect(scrollWidth).toBeLessThanOrEqual(width);

      await page.reload();
      const again = page.getByRole('form', { name: '停车' });
      await again.getByText('现在的时限').waitFor();
      expect(await again.getByLabel('派给').inputValue()).toMatch(/^team:/);
      await page.context().close();
    },
  );
});
