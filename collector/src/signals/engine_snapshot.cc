// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "signals/engine_snapshot.h"

#include <zstd.h>

#include <memory>

namespace telltale::collector {
namespace {

constexpr std::string_view kMagic = "TTSNAP";
// 3: users' identities; 4: alerts' raised_at; 5: the reps of the rotation; 6: alerts' company facts;
// 7: the frames' keys (SeenFrames)
constexpr uint64_t kVersion = 7;
constexpr uint64_t kMaxBody = uint64_t(16) << 30;  // refuse to inflate more than 16 GiB

}  // namespace

std::string rules_fingerprint(const PqlRules& r, const AlertPolicy& policy) {
  SnapshotWriter w;
  for (const auto* names : {&r.milestones, &r.free_mail_domains}) {
    w.u64(names->size());
    for (const std::string& n : *names) w.str(n);
  }
  for (const std::string* s : {&r.core_value_event, &r.invite_event, &r.collaboration_event, &r.integration_event,
                               &r.pricing_event, &r.premium_event, &r.sso_event, &r.contract_event})
    w.str(*s);
  for (const auto* table : {&r.weights, &r.industry_multipliers, &r.region_multipliers}) {
    w.u64(table->size());
    for (const auto& [k, v] : *table) {
      w.str(k);
      w.f64(v);
    }
  }
  w.u64(r.employee_tiers.size());
  for (const auto& [from, m] : r.employee_tiers) {
    w.i64(from);
    w.f64(m);
  }
  for (int64_t v : {int64_t(r.expansion_window_days), int64_t(r.expansion_min_new_users), int64_t(r.sweet_spot_days),
                    int64_t(r.active_days_needed), r.high_sla_hours, r.medium_sla_hours, r.sales_led_employees,
                    r.sales_led_users, r.sales_assist_employees, r.sales_assist_users, r.self_serve_max_seats,
                    int64_t(policy.cooldown.count()), int64_t(policy.handback_after.count())})
    w.i64(v);
  for (double v : {r.expansion_min_growth, r.sweet_spot_ratio, r.limit_hit_ratio, r.pql_threshold,
                   r.high_priority_score, r.free_mail_multiplier})
    w.f64(v);
  return w.take();
}

std::string encode_snapshot(const SignalEngine& engine, const AlertBook& book, const SeenFrames* seen,
                            int64_t position, const std::string& fingerprint) {
  SnapshotWriter body;
  engine.save(body);
  book.save(body);
  body.boolean(seen != nullptr);
  if (seen) seen->save(body);
  const std::string& raw = body.bytes();

  SnapshotWriter head;
  head.str(kMagic);
  head.u64(kVersion);
  head.str(fingerprint);
  head.i64(position);
  head.u64(raw.size());
  std::string out = head.take();
  const size_t at = out.size();
  out.resize(at + ZSTD_compressBound(raw.size()));
  // With a content checksum, so a corrupted body is refused, not misread.
  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, 1);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  const size_t n = ZSTD_compress2(cctx.get(), out.data() + at, out.size() - at, raw.data(), raw.size());
  if (ZSTD_isError(n)) throw SnapshotError(std::string("snapshot compression: ") + ZSTD_getErrorName(n));
  out.resize(at + n);
  return out;
}

int64_t decode_snapshot(std::string_view blob, const std::string& fingerprint, SignalEngine& engine, AlertBook& book,
                        SeenFrames* seen) {
  SnapshotReader head(blob);
  if (head.str() != kMagic) throw SnapshotError("not an engine snapshot");
  if (head.u64() != kVersion) throw SnapshotError("snapshot of another version");
  if (head.str() != fingerprint) throw SnapshotError("snapshot taken with other [pql] rules");
  const int64_t position = head.i64();
  const uint64_t size = head.u64();
  if (size > kMaxBody) throw SnapshotError("snapshot too large");
  std::string raw(size_t(size), '\0');
  const std::string_view packed = head.rest();
  const size_t n = ZSTD_decompress(raw.data(), raw.size(), packed.data(), packed.size());
  if (ZSTD_isError(n) || n != size) throw SnapshotError("snapshot body corrupt");
  SnapshotReader body(raw);
  engine.load(body);
  book.load(body, [&](uint32_t number) { return engine.account(number); });
  // A set kept only since the log changed would miss the keys of the frames
  // before: the whole log is replayed instead, which rebuilds it.
  if (body.boolean() != (seen != nullptr))
    throw SnapshotError(seen ? "snapshot without the frames' keys" : "snapshot with frames' keys, for another log");
  if (seen) seen->load(body);
  if (!body.done()) throw SnapshotError("snapshot has trailing bytes");
  return position;
}

}  // namespace telltale::collector
