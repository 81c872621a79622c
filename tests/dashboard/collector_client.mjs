// What the dashboard tests do to the collector besides the page: send
// Segment-spec calls (any write key: the test collectors configure none)
// and read the alert feed, with the API token when the collector has one.
//   const c = collectorClient('http://127.0.0.1:PORT', token)
import assert from 'node:assert/strict'

export function collectorClient(base, token = '') {
  const auth = token ? { Authorization: `Bearer ${token}` } : {}

  async function send(type, body) {
    const r = await fetch(`${base}/v1/${type}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Basic ' + btoa('wk_dashboard:') },
      body: JSON.stringify(body),
    })
    assert.equal(r.status, 200, `POST /v1/${type}: ${await r.text()}`)
  }

  // 30 (core value) + 12 (pricing) = 42 points, x1.5 for 800 employees: 63, sales-led.
  async function qualify(account, name) {
    await send('group', { userId: `${account}-ana`, groupId: account, traits: { name, employees: 800 } })
    for (const event of ['Report Created', 'Pricing Page Viewed'])
      await send('track', { userId: `${account}-ana`, event, context: { groupId: account } })
  }

  // GET a read route as JSON.
  async function get(path) {
    const r = await fetch(base + path, { headers: auth })
    assert.equal(r.status, 200, `GET ${path}: ${r.status}`)
    return r.json()
  }

  // The account's first alert, once raised.
  async function alertOf(account) {
    for (let i = 0; i < 100; i++) {
      const found = (await get(`/v1/alerts?account=${encodeURIComponent(account)}`)).alerts[0]
      if (found) return found
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`no alert for ${account}`)
  }

  return { send, qualify, get, alertOf }
}
