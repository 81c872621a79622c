// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Engine snapshots: the PQL pipeline's whole state (every account, user and
// event name in the SignalEngine; every account's alert bookkeeping, open
// alert and the owners' round-robin counts in the AlertBook; the frames'
// keys in SeenFrames, for a log that forgets them early) at a log
// position, as one zstd-compressed blob. A restart restores the latest
// snapshot and replays only the log after it, which decides exactly what a
// full replay would have.
//
// A snapshot is tied to the rules it was taken with (a fingerprint of every
// [pql] setting): with other rules it is refused, and the engine replays
// the whole log instead. Pure functions; thread-safe for distinct engines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "alerts/alert_book.h"
#include "signals/seen_frames.h"
#include "signals/signal_engine.h"

namespace telltale::collector {

// Every setting that changes what the engine and the book decide, as text:
// all of the [pql] rules but the owners' (OwnerRules) and the summary's.
std::string rules_fingerprint(const PqlRules& rules, const AlertPolicy& policy);

// `seen`: null when the engine keeps no de-duplication set.
std::string encode_snapshot(const SignalEngine& engine, const AlertBook& book, const SeenFrames* seen,
                            int64_t position, const std::string& fingerprint);

// Restores into a fresh engine, book and set (null when none is kept)
// built with the same rules; returns the snapshot's log position. Throws
// SnapshotError (not a snapshot, other rules, a set where none is kept or
// none where one is, corrupt); the engine, book and set are then unusable.
int64_t decode_snapshot(std::string_view blob, const std::string& fingerprint, SignalEngine& engine, AlertBook& book,
                        SeenFrames* seen);

}  // namespace telltale::collector
