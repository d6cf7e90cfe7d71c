// The OpenAI-compatible server form: an API key kept for the tab's session unless the user asks to
// remember it on this device, a key stored by earlier versions still used, and a warning for plain
// http:// to another machine. No request is sent: choosing a server only builds its engine.
import { expect, test, type Page } from '@playwright/test';

const keyName = (baseUrl: string) => `steps-studio.apiKey.${baseUrl}`;

/** This server's key in sessionStorage and in localStorage. */
const storedKeys = (page: Page, baseUrl: string) =>
  page.evaluate(
    (name) => ({ session: sessionStorage.getItem(name), device: localStorage.getItem(name) }),
    keyName(baseUrl),
  );

async function chooseServer(page: Page, baseUrl: string, apiKey: string, remember: boolean) {
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByLabel('Model', { exact: true }).fill('tiny');
  await page.getByLabel('API key (optional)').fill(apiKey);
  await page.getByLabel(/Remember the key on this device/).setChecked(remember);
  await page.getByRole('button', { name: 'Use this server' }).click();
  await expect(page.getByTestId('chosen-model')).toHaveText(`tiny at ${baseUrl}`);
}

test('an API key is kept for the session unless remembered on this device', async ({ page }) => {
  const baseUrl = 'http://127.0.0.1:9/v1';
  await page.goto('/#/model');
  await chooseServer(page, baseUrl, 'sk-session', false);
  expect(await storedKeys(page, baseUrl)).toEqual({ session: 'sk-session', device: null });

  // A reload keeps the tab's session: the key is still there.
  await page.reload();
  await expect(page.getByLabel('API key (optional)')).toHaveValue('sk-session');
  await expect(page.getByLabel(/Remember the key on this device/)).not.toBeChecked();

  await chooseServer(page, baseUrl, 'sk-device', true);
  expect(await storedKeys(page, baseUrl)).toEqual({ session: null, device: 'sk-device' });

  // Unticking forgets it on this device again.
  await chooseServer(page, baseUrl, 'sk-device', false);
  expect(await storedKeys(page, baseUrl)).toEqual({ session: 'sk-device', device: null });
});

test('a key stored by an earlier version keeps working and shows as remembered', async ({
  page,
}) => {
  const baseUrl = 'http://localhost:9/v1';
  await page.goto('/#/model');
  await chooseServer(page, baseUrl, '', false);
  await page.evaluate((name) => localStorage.setItem(name, 'sk-old'), keyName(baseUrl));
  await page.reload();
  await expect(page.getByLabel('API key (optional)')).toHaveValue('sk-old');
  await expect(page.getByLabel(/Remember the key on this device/)).toBeChecked();
});

test('warns about plain http:// to another machine, not to this one', async ({ page }) => {
  await page.goto('/#/model');
  const baseUrl = page.getByLabel('Base URL');
  const warning = page.getByTestId('endpoint-http-warning');
  for (const local of [
    'http://localhost:8000/v1',
    'http://127.0.0.1:8000/v1',
    'http://[::1]:8000/v1',
  ]) {
    await baseUrl.fill(local);
    await expect(warning).toHaveCount(0);
  }
  await baseUrl.fill('https://api.example.org/v1');
  await expect(warning).toHaveCount(0);
  await baseUrl.fill('http://gpu-box.example.org:8000/v1');
  await expect(warning).toContainText('the API key and every prompt and answer travel unencrypted');
});
