// Sends `count` track calls plus an identify and a group call through the
// real @segment/analytics-node library, pointed at a Telltale collector,
// then flushes. Exits non-zero if the library reports any delivery error.
//   node send_events.mjs http://127.0.0.1:PORT COUNT
import { Analytics } from '@segment/analytics-node'

const [host, countText] = process.argv.slice(2)
const count = Number(countText)
const analytics = new Analytics({
  writeKey: 'wk_segment_node',
  host,
  path: '/v1/batch',
  maxEventsInBatch: 25,
  flushInterval: 200,
})
let errors = 0
analytics.on('error', (err) => {
  errors += 1
  console.error('analytics-node error:', err.code || '', err.reason || err.message || err)
})

analytics.identify({ userId: 'ana', traits: { email: 'ana@acme.com', name: 'Ana' } })
analytics.group({ userId: 'ana', groupId: 'acme', traits: { name: 'Acme', employees: 800, plan: 'team' } })
for (let i = 0; i < count; i++) {
  analytics.track({
    userId: `user${i % 7}`,
    event: 'Report Created',
    properties: { i, rows: i * 3, plan: 'free' },
    context: { groupId: 'acme' },
  })
}
await analytics.closeAndFlush({ timeout: 20000 })
console.log(`sent ${count + 2} calls, ${errors} errors`)
process.exit(errors === 0 ? 0 : 1)
