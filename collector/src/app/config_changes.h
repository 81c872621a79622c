// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// settings_awaiting_restart: which settings of a config file changed since
// the collector started that a reload (SIGHUP) cannot apply, so that the
// reload says so by name ("pql.threshold, limits.max_body_bytes") rather
// than leave an operator believing a new threshold runs. A reload applies
// api_tokens, the [tls] files, and [pql] webhooks, reps and territories;
// every other key waits for the next start. Compares the two files' TOML
// (toml++), key by key (numbers by value: 50 and 50.0 are the same), a key
// present in one only counting as changed; a
// file that does not parse yields no names (the reload refuses it anyway).
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace telltale::collector {

// The dotted keys whose values differ between the config file's text at
// start (`started`) and now (`now`), in sorted order, less the ones a
// reload applies and the ones in `overridden` (set by command-line flags,
// which a file's change does not reach: "listen", "data_dir", "insecure").
std::vector<std::string> settings_awaiting_restart(const std::string& started, const std::string& now,
                                                   const std::vector<std::string>& overridden = {});

}  // namespace telltale::collector
