// Drives the dashboard in Debian's Chromium against a collector with
// api_tokens, as a rep opening it the first time would: the page asks for
// a token and lists nothing without one; a wrong one is refused, saying
// so; with the right one the alerts are listed, one raised meanwhile
// arrives over the stream (whose URL carries the token), and a claim
// goes through; a reload keeps the token, "Forget token" drops it. Exits
// non-zero on the first failed expectation.
//   node dashboard_token_test.mjs http://127.0.0.1:PORT TOKEN
import { chromium } from 'playwright-core'
import assert from 'node:assert/strict'
import { collectorClient } from './collector_client.mjs'

const [base, token] = process.argv.slice(2)
const { qualify, get, alertOf } = collectorClient(base, token)

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
                                        args: ['--no-sandbox'] })
try {
  const page = await browser.newPage()
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await qualify('acme', 'Acme')
  const acme = await alertOf('acme')

  await page.goto(base + '/')
  await page.locator('#signin-why', { hasText: 'This collector asks for an API token' }).waitFor({ timeout: 10000 })
  await page.locator('#empty', { hasText: 'Sign in with an API token to see the alerts.' }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#connection').textContent(), 'signed out',
               'the collector answered: not a lost connection')
  assert.equal(await page.locator('#alerts tbody tr').count(), 0)

  await page.locator('#signin-token').fill('tok_somebody_else_0000000')
  await page.locator('#signin button[type="submit"]').click()
  await page.locator('#signin-why', { hasText: 'The collector refused this token' }).waitFor({ timeout: 5000 })

  await page.locator('#signin-token').fill(token)
  await page.locator('#signin button[type="submit"]').click()
  const acmeRow = page.locator(`#alerts tbody tr[data-id="${acme.id}"]`)
  await acmeRow.waitFor({ timeout: 10000 })
  assert.equal(await page.locator('#signin').isVisible(), false)
  await page.locator('#connection.live').waitFor({ timeout: 10000 })

  // Raised while the page is open: over the stream, with the token in its URL.
  const streamed = page.waitForRequest((r) => r.url().includes('/v1/alerts/stream') &&
                                              new URL(r.url()).searchParams.get('access_token') === token)
  await qualify('globex', 'Globex')
  const globex = await alertOf('globex')
  await streamed
  await page.locator(`#alerts tbody tr[data-id="${globex.id}"]`).waitFor({ timeout: 10000 })

  // Lifecycle steps carry the token too.
  await acmeRow.click()
  await page.locator('#a-owner').fill('Ravi')
  await page.locator('button[data-step="claim"]').click()
  await page.locator('#d-subtitle', { hasText: 'claimed · owner Ravi' }).waitFor({ timeout: 5000 })
  assert.equal((await get(`/v1/alerts/${acme.id}`)).claimed_by, 'Ravi')

  // A reload keeps the token; forgetting it asks again.
  await page.reload()
  await page.locator(`#alerts tbody tr[data-id="${globex.id}"]`).waitFor({ timeout: 10000 })
  assert.equal(await page.locator('#signin').isVisible(), false)
  await page.locator('#signout').click()
  await page.locator('#signin-why', { hasText: 'This collector asks for an API token' }).waitFor({ timeout: 10000 })
  assert.equal(await page.evaluate(() => localStorage.getItem('telltale.api_token')), null)

  assert.deepEqual(pageErrors, [], 'no script errors on the page')
  console.log('PASS: the dashboard asked for the API token, refused a wrong one, and worked with the right one')
} finally {
  await browser.close()
}
