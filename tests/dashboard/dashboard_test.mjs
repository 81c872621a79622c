// Drives the dashboard (GET /) in Debian's Chromium, as a sales rep would: an
// open alert raised before the page opened is listed; one raised while it is
// open appears live (SSE); the list spans the page until an alert is picked
// and again once its panel is closed; the side panel explains an alert and names the
// account's people; a claim without a name shows the collector's error, a claim
// with one changes the alert (which then leaves the open alerts' view), another
// rep's claim asks before taking the alert over; the status and owner filters
// list what matches; the figures (GET /v1/stats) count the PQLs by route and
// rep, follow the filters and the stream; the accounts warming up are listed
// when asked for; a failing webhook is said; a long history is listed newest first, a page at a time; an
// alert's panel tells what came of its account's earlier alerts; a link to an
// alert or an account (#alert/ID, as webhook messages give) opens its story;
// account names from events are shown as text, never run as markup. Exits non-zero on the
// first failed expectation.
//   node dashboard_test.mjs http://127.0.0.1:PORT SCRATCH_DIR
import { chromium } from 'playwright-core'
import assert from 'node:assert/strict'

import { collectorClient } from './collector_client.mjs'

const [base, scratch] = process.argv.slice(2)
const { send, qualify, get, alertOf } = collectorClient(base)

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] })
try {
  const page = await browser.newPage()
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  const listings = []  // the feed queries the page made: the collector filters
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/alerts') listings.push(new URL(r.url()).search) })

  const hostile = 'Acme <img src=x onerror="window.pwned=1">'
  await qualify('acme', hostile)
  const acme = await alertOf('acme')

  await page.goto(base + '/')
  const acmeRow = page.locator(`#alerts tbody tr[data-id="${acme.id}"]`)
  await acmeRow.waitFor({ timeout: 10000 })
  assert.equal(await acmeRow.locator('td').nth(2).textContent(), hostile, 'the account name is shown as text')
  assert.equal(await acmeRow.locator('img').count(), 0, 'no markup from event data')
  assert.equal(await page.evaluate(() => window.pwned), undefined)
  assert.match(await acmeRow.textContent(), /sales-led/)
  assert.match(listings[0], /status=open/, 'the first list asks for open alerts only')
  await page.locator('#connection.live').waitFor({ timeout: 10000 })

  // Raised while the page is open: arrives over the stream.
  await send('identify', { userId: 'globex-ana', traits: { email: 'ana@globex.com', name: 'Ana Ruiz', title: 'CTO' } })
  await qualify('globex', 'Globex')
  const globex = await alertOf('globex')
  const globexRow = page.locator(`#alerts tbody tr[data-id="${globex.id}"]`)
  await globexRow.waitFor({ timeout: 10000 })
  assert.equal(await page.locator('#count-shown').textContent(), '2')
  // The sales channel's webhook fails: the page says so, and why.
  const failing = page.locator('#webhooks-failing', { hasText: 'Webhook sales channel (slack) failing since' })
  await failing.waitFor({ timeout: 10000 })
  assert.match(await failing.textContent(), /: connect to 127\.0\.0\.1:9: Connection refused\. Its channel hears of no new PQL/)
  assert.doesNotMatch(await failing.textContent(), /T0\/B0/, 'never the secret path')

  // Nothing picked yet: the list has the page's width; the side panel, once
  // opened, a column of its own beside it.
  const widthOf = (selector) => page.locator(selector).evaluate((e) => e.getBoundingClientRect().width)
  const pageWidth = await widthOf('main')
  assert.ok(await widthOf('main > section') > 0.9 * pageWidth, 'the list spans the page while no alert is picked')

  // The side panel: why the account qualified.
  await globexRow.click()
  await page.locator('#detail').waitFor({ state: 'visible' })
  assert.ok(await widthOf('main > section') < 0.7 * pageWidth, 'the list makes room for the side panel')
  assert.ok(await page.locator('main > section').evaluate((e) => e.scrollWidth <= e.clientWidth),
            'and fits its column, without the summaries the panel tells')
  assert.ok(!await globexRow.locator('td.summary').isVisible())
  assert.equal(new URL(page.url()).hash, `#alert/${globex.id}`)
  // Closed, by its button or Escape: the list has the page again, and the
  // address names no alert.
  for (const close of [() => page.locator('#d-close').click(), () => page.keyboard.press('Escape')]) {
    await close()
    await page.locator('#detail').waitFor({ state: 'hidden' })
    assert.ok(await widthOf('main > section') > 0.9 * pageWidth, 'the list has the page again')
    assert.ok(await globexRow.locator('td.summary').isVisible())
    assert.equal(await page.locator('#alerts tr.selected').count(), 0)
    assert.equal(new URL(page.url()).hash, '')
    await globexRow.click()
    await page.locator('#detail').waitFor({ state: 'visible' })
  }
  assert.match(await page.locator('#d-title').textContent(), /Globex · score 63/)
  assert.match(await page.locator('#d-trigger').textContent(), /^pricing_page: viewed pricing once$/)
  const reasons = await page.locator('#d-contributions li').allTextContents()
  assert.deepEqual(reasons, ['+30 core_value_moment: Report Created x1', '+12 pricing_page: viewed pricing once'])
  assert.match(await page.locator('#d-summary').textContent(), /^Globex: /)
  // ... and the account's facts (GET /v1/accounts/{id}).
  await page.locator('#d-account dd', { hasText: 'globex' }).waitFor({ timeout: 5000 })
  const facts = await page.locator('#d-account').evaluate((dl) =>
    Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])))
  assert.equal(facts.employees, '800')
  assert.match(facts.route, /^sales-led \(.+\)$/)
  assert.ok(facts['Report Created'], 'the milestone reached, with when')
  // ... and whom to write to.
  assert.deepEqual(await page.locator('#d-people li').allTextContents(),
                   [`Ana Ruiz, CTO ana@globex.com · active 1 day of the last 14, last ${globex.created_at.slice(0, 10)}`])
  assert.equal(await page.locator('#d-people a').getAttribute('href'), 'mailto:ana@globex.com')

  // A claim without a name: the collector's own error is shown.
  await page.locator('button[data-step="claim"]').click()
  await page.locator('#action-error', { hasText: 'claim needs "owner"' }).waitFor({ timeout: 5000 })
  // With a name: the alert is claimed, in the panel and in the API, and
  // leaves the view of open alerts (the default).
  await page.locator('#a-owner').fill('Ravi')
  await page.locator('button[data-step="claim"]').click()
  await page.locator('#d-subtitle', { hasText: 'claimed · owner Ravi' }).waitFor({ timeout: 5000 })
  await globexRow.waitFor({ state: 'detached', timeout: 5000 })
  assert.equal(await page.locator('#action-error').textContent(), '')
  assert.equal(await page.locator('#count-shown').textContent(), '1')
  const claimed = await get(`/v1/alerts/${globex.id}`)
  assert.equal(claimed.status, 'claimed')
  assert.equal(claimed.claimed_by, 'Ravi')
  // Another rep's claim asks before taking it over: declined, Ravi keeps
  // it; accepted, Dana has it (and Ravi takes it back the same way).
  const claimAs = async (owner, accept) => {
    await page.locator('#a-owner').fill(owner)
    const asked = page.waitForEvent('dialog', { timeout: 5000 })
    const clicked = page.locator('button[data-step="claim"]').click()  // returns once the dialog is answered
    const dialog = await asked
    const holder = owner === 'Dana' ? 'Ravi' : 'Dana'
    assert.match(dialog.message(), new RegExp(`is claimed by ${holder}\\. Take it over as ${owner}\\?`))
    await (accept ? dialog.accept() : dialog.dismiss())
    await clicked
  }
  await claimAs('Dana', false)
  assert.equal((await get(`/v1/alerts/${globex.id}`)).claimed_by, 'Ravi')
  await claimAs('Dana', true)
  await page.locator('#d-subtitle', { hasText: 'claimed · owner Dana' }).waitFor({ timeout: 5000 })
  await claimAs('Ravi', true)
  await page.locator('#d-subtitle', { hasText: 'claimed · owner Ravi' }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#action-error').textContent(), '')

  // How product-led sales is doing: both PQLs, sales-led, each rep's row.
  await page.locator('#f-pqls', { hasText: /^2$/ }).waitFor({ timeout: 10000 })
  assert.equal(await page.locator('#f-routes').textContent(), 'sales-led 2')
  await page.locator('#f-sla', { hasText: /2 waiting, 0 overdue$/ }).waitFor({ timeout: 5000 })  // neither touched yet
  // Ravi, away, holds one waiting for a first touch: a teammate may take it
  // over (the figures follow his claim at the stream's next refresh).
  await page.waitForFunction(() => [...document.querySelectorAll('#f-reps tbody tr')].some((tr) =>
    tr.cells[0].textContent === 'Ravi (away)' && tr.cells[1].textContent === '1'), null, { timeout: 10000 })
  const reps = await page.locator('#f-reps tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [...tr.cells].map((td) => td.textContent)))
  assert.ok(reps.some(([rep, alerts, waiting]) => rep === 'Ravi (away)' && alerts === '1' && waiting === '1'),
            JSON.stringify(reps))
  assert.equal(reps.reduce((n, row) => n + Number(row[1]), 0), 2, 'every rep-bound alert in a rep\'s row')

  // The accounts warming up, when asked for: initech, 45 of 50, not a PQL yet.
  const initechName = 'Initech <b>bold</b>'
  await send('group', { userId: 'initech-ian', groupId: 'initech', traits: { name: initechName, employees: 800 } })
  await send('track', { userId: 'initech-ian', event: 'Report Created', context: { groupId: 'initech' } })
  for (let i = 0; !(await get('/v1/accounts?qualified=false')).accounts.some((a) => a.account_id === 'initech'); i++) {
    assert.ok(i < 100, 'initech scored')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.equal(await page.locator('#w-accounts').isVisible(), false, 'folded until opened')
  await page.locator('#warming > summary').click()
  const initechRow = page.locator('#w-accounts tbody tr[data-account="initech"]')
  await initechRow.waitFor({ timeout: 5000 })
  assert.deepEqual(await initechRow.locator('td').allTextContents(),
                   [initechName, '45', 'sales-led', '1', 'core_value_moment',
                    'contract_requested, team_expansion, limit_hit +9 more',
                    (await get('/v1/accounts/initech')).last_event.slice(0, 10)])
  assert.equal(await initechRow.locator('b').count(), 0, 'no markup from event data')
  assert.equal(await page.locator('#w-scope').textContent(),
               '1 account with signals below the threshold of 50 · the reps\' routes')
  assert.equal(await page.locator('#w-accounts tbody tr').count(), 1, 'the PQLs are not warming up')
  // Picked, it shows its story and what would make it a PQL; nothing to claim.
  await initechRow.click()
  await page.locator('#d-title', { hasText: 'score 45 of 50' }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#d-title').textContent(), `${initechName} · score 45 of 50`)
  assert.equal(await page.locator('#d-subtitle').textContent(), 'no alert yet · sales-led · 1 user')
  assert.equal(await page.locator('#d-summary').textContent(), '5 score points short of a PQL.')
  assert.equal(await page.locator('#d-missing li').first().textContent(),
               '+45 contract_requested: one Contract Requested event · enough alone')
  assert.deepEqual(await page.locator('#d-contributions li').allTextContents(),
                   ['+30 core_value_moment: Report Created x1'])
  assert.equal(await initechRow.getAttribute('class'), 'selected')
  assert.equal(await page.locator('button[data-step="claim"]').isVisible(), false, 'no alert to act on')
  assert.equal(await page.locator('#d-trigger').isVisible(), false)
  // An alert picked again: its story, with the steps, without the account's.
  await acmeRow.click()
  await page.locator('#d-subtitle', { hasText: `alert #${acme.id}` }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('button[data-step="claim"]').isVisible(), true)
  assert.equal(await page.locator('#d-missing').isVisible(), false)
  assert.equal(await initechRow.getAttribute('class'), '')

  // Any status: both, the claimed one as such.
  await page.locator('select[name="status"]').selectOption('')
  await globexRow.waitFor({ timeout: 5000 })
  assert.equal(await globexRow.locator('td').nth(6).textContent(), 'claimed')
  await globexRow.locator('td', { hasText: 'Ravi (away)' }).waitFor({ timeout: 5000 })  // the figures say he is away
  assert.equal(await globexRow.locator('td').nth(5).textContent(), 'Ravi (away)')
  assert.equal(await acmeRow.count(), 1)
  // By priority, listed by the collector: both are medium (63), none high.
  const byPriority = page.waitForRequest((r) => /[?&]priority=high(&|$)/.test(r.url()), { timeout: 5000 })
  await page.locator('select[name="priority"]').selectOption('high')
  await byPriority
  await page.locator('#empty', { hasText: 'No alerts match the filters.' }).waitFor({ timeout: 5000 })
  await page.locator('select[name="priority"]').selectOption('')
  await globexRow.waitFor({ timeout: 5000 })
  await acmeRow.waitFor({ timeout: 5000 })
  // In another order, without asking the collector again: highest score
  // first; SLA due first, the alerts waiting for a first touch by deadline
  // (both: acme is open, globex claimed but not touched yet), then the rest.
  const listed = listings.length
  const order = async () => page.locator('#alerts tbody tr').evaluateAll((rows) => rows.map((tr) => Number(tr.dataset.id)))
  await page.locator('#sort').selectOption('score')
  const scores = await page.locator('#alerts tbody tr td:nth-child(4)').allTextContents()
  assert.deepEqual(scores.map(Number), [...scores.map(Number)].sort((x, y) => y - x), 'by score, highest first')
  await page.locator('#sort').selectOption('due')
  const dues = [acme, globex].sort((x, y) => Date.parse(x.sla_due) - Date.parse(y.sla_due)).map((a) => a.id)
  assert.deepEqual(await order(), dues)
  // Once globex is touched it waits no more: acme first, whatever the deadlines.
  const touched = await fetch(`${base}/v1/alerts/${globex.id}/touch`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ channel: 'email' }) })
  assert.equal(touched.status, 200)
  for (let i = 0; JSON.stringify(await order()) !== JSON.stringify([acme.id, globex.id]); i++) {
    assert.ok(i < 100, `acme, waiting, before globex, touched: ${await order()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await page.locator('#sort').selectOption('newest')
  assert.deepEqual(await order(), [globex.id, acme.id])
  assert.equal(listings.length, listed, 'sorting lists nothing again')

  // By owner, whose names the page offers.
  assert.deepEqual(await page.locator('#owners option').evaluateAll((os) => os.map((o) => o.value)), ['Dana', 'Ravi'])
  await page.locator('input[name="owner"]').fill('ravi')  // in any case
  await acmeRow.waitFor({ state: 'detached', timeout: 5000 })
  assert.equal(await globexRow.count(), 1)
  // By status, listed by the collector: nothing is claimed by Dana.
  await page.locator('select[name="status"]').selectOption('claimed')
  const asked = page.waitForRequest((r) => /[?&]status=claimed&owner=Dana&/.test(r.url()), { timeout: 5000 })
  const figuresAsked = page.waitForRequest((r) => /\/v1\/stats\?since=30d&owner=Dana$/.test(r.url()), { timeout: 5000 })
  await page.locator('input[name="owner"]').fill('Dana')
  await asked
  await figuresAsked  // the figures follow the owner filter too (not the status: they count every status)
  await page.locator('#empty', { hasText: 'No alerts match the filters.' }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#count-shown').textContent(), '0')

  // A long history: the newest page (500) is listed, newest first, and
  // older pages on request.
  assert.match(listings.at(-1), /order=newest/)
  const history = []
  for (let i = 0; i < 500; i++) {
    const account = `history-${i}`, userId = `${account}-ana`
    history.push({ type: 'group', userId, groupId: account, traits: { name: `History ${i}`, employees: 800 } })
    for (const event of ['Report Created', 'Pricing Page Viewed'])
      history.push({ type: 'track', userId, event, context: { groupId: account } })
  }
  await send('batch', { batch: history })
  for (let i = 0; ; i++) {
    const later = (await get(`/v1/alerts?after=${globex.id}&limit=1000`)).alerts
    if (later.length === 500) break
    assert.ok(i < 200, `500 history alerts raised, not ${later.length}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await page.locator('input[name="owner"]').fill('')
  await page.locator('select[name="status"]').selectOption('')
  await page.locator('#older').waitFor({ state: 'visible', timeout: 10000 })
  assert.equal(await page.locator('#count-shown').textContent(), '500')
  assert.equal(await acmeRow.count(), 0, 'the oldest alerts wait for the next page')
  assert.equal(await page.locator('#alerts tbody tr').first().getAttribute('data-id'), String(globex.id + 500))
  await page.locator('#older').click()
  await acmeRow.waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#count-shown').textContent(), '502')
  assert.equal(await page.locator('#older').isVisible(), false, 'no older page is offered past the first alert')
  // The figures followed the stream: every PQL of the period, for any owner.
  await page.locator('#f-pqls', { hasText: /^502$/ }).waitFor({ timeout: 10000 })
  await page.locator('#f-period').selectOption('')
  await page.locator('#f-pqls', { hasText: /^502$/ }).waitFor({ timeout: 5000 })

  // An account's earlier alerts, in its story: hooli's self-serve PQL (62
  // points, a single user), closed when 800 employees made it sales-led.
  for (const event of ['Report Created', 'Pricing Page Viewed', 'Premium Feature Attempted'])
    await send('track', { userId: 'hooli-hal', event, context: { groupId: 'hooli' } })
  const selfServe = await alertOf('hooli')
  assert.equal(selfServe.route, 'self-serve')
  const selfServeRow = page.locator(`#alerts tbody tr[data-id="${selfServe.id}"]`)
  await selfServeRow.waitFor({ timeout: 10000 })
  assert.equal(await selfServeRow.locator('td').nth(7).textContent(), '—',
               'a self-serve PQL has no deadline for a rep')
  await send('group', { userId: 'hooli-hal', groupId: 'hooli', traits: { name: 'Hooli', employees: 800 } })
  let escalated
  for (let i = 0; !(escalated = (await get('/v1/alerts?account=hooli&route=sales-led')).alerts[0]); i++) {
    assert.ok(i < 100, 'hooli escalated to sales-led')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const hooliRow = page.locator(`#alerts tbody tr[data-id="${escalated.id}"]`)
  await hooliRow.waitFor({ timeout: 10000 })
  await hooliRow.click()
  await page.locator('#d-history li', { hasText: `#${selfServe.id} closed · self-serve · raised ` })
    .waitFor({ timeout: 5000 })
  assert.equal(await page.locator('#d-history li').count(), 1, 'the alert being read is not its own history')

  // An account looked up by a part of its name, in any case: its story,
  // naming its open alert, with both alerts in its history.
  await page.locator('#find-text').fill('HOOL')
  const found = page.locator('#find-results button[data-account="hooli"]')
  await found.waitFor({ timeout: 5000 })
  assert.match(await found.textContent(),
               new RegExp(`^Hooli \\(hooli\\) · score [0-9.]+ · sales-led · alert #${escalated.id} open$`))
  await page.locator('#find-text').press('Enter')  // the first found
  await page.locator('#d-subtitle', { hasText: `alert #${escalated.id} open · sales-led` }).waitFor({ timeout: 5000 })
  assert.match(await page.locator('#d-title').textContent(), /^Hooli · score [0-9.]+ of 50$/)
  assert.equal(await page.locator('#find-results').isVisible(), false)
  assert.equal(await page.locator('#d-history li').count(), 2)
  // From there to the open alert, to act on it.
  await page.locator('#d-open-alert').click()
  await page.locator('#d-subtitle', { hasText: `alert #${escalated.id} · ` }).waitFor({ timeout: 5000 })
  assert.equal(await page.locator('button[data-step="claim"]').isVisible(), true)
  // A touch logged with its channel and a note, which the panel then lists.
  await page.locator('#a-channel').selectOption('call')
  await page.locator('#a-note').fill('left a voicemail for <b>Hal</b>')
  await page.locator('button[data-step="touch"]').click()
  await page.locator('#d-touches li', { hasText: 'by call: left a voicemail for <b>Hal</b>' })
    .waitFor({ timeout: 5000 })  // in reach: the panel scrolls on its own beside the long list
  assert.equal(await page.locator('#a-note').inputValue(), '', 'the note is cleared once logged')
  assert.equal((await get(`/v1/alerts/${escalated.id}`)).touches[0].note, 'left a voicemail for <b>Hal</b>')
  await page.locator('#find-text').fill('stark')
  await page.locator('#find-results li', { hasText: 'no account\'s id or name holds "stark"' })
    .waitFor({ timeout: 5000 })

  // The address names what the panel shows, to be copied and sent; a
  // webhook message's link (#alert/ID) opens that alert's story, even one
  // the open alerts' view does not list (acme is claimed); another link on
  // the same page, an account's story.
  assert.equal(new URL(page.url()).hash, `#alert/${escalated.id}`, 'the address names the alert shown')
  const linked = await browser.newPage()
  linked.on('pageerror', (e) => pageErrors.push(e.message))
  await linked.goto(`${base}/#alert/${acme.id}`)
  await linked.locator('#d-subtitle', { hasText: `alert #${acme.id} · ` }).waitFor({ timeout: 10000 })
  assert.equal(await linked.locator('#d-title').textContent(), `${hostile} · score 63`)
  await linked.goto(`${base}/#account/hooli`)
  await linked.locator('#d-title', { hasText: /^Hooli · score [0-9.]+ of 50$/ }).waitFor({ timeout: 10000 })
  await linked.close()

  await page.screenshot({ path: `${scratch}/dashboard.png`, fullPage: true })
  assert.deepEqual(pageErrors, [], 'no script errors on the page')
  console.log(`PASS: dashboard listed, followed, explained and claimed alerts (screenshot ${scratch}/dashboard.png)`)
} finally {
  await browser.close()
}
