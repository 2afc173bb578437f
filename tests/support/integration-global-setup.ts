import { embeddedTemplate, postgresTemplate } from './template.ts';

/** The migrated template every test database copies, made once before the workers start. */
export default async function setup() {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) await postgresTemplate(adminUrl, 'tongxin_test');
  else await embeddedTemplate();
}
