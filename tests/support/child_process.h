// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Child processes for end-to-end tests: start a program with its stderr
// appended to a file, wait for a line in that file (the port a server
// bound, "ready"), or run a command line to its end. Plain functions over
// fork/exec and popen; thread-compatible.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace telltale::testing {

// Starts args[0] with `args`, its stderr appended to `log_path`;
// `in_child` (may be empty) runs in the child before exec. Returns the pid.
pid_t spawn_process(const std::vector<std::string>& args, const std::string& log_path,
                    const std::function<void()>& in_child = {});

// Waits up to `timeout` for `pattern` in the file at `log_path` and returns
// its first group; "" when the time ran out or process `pid` exited (then
// *pid is set to -1, the child reaped).
std::string wait_for_log_line(const std::string& log_path, const std::regex& pattern, pid_t* pid,
                              std::chrono::milliseconds timeout);

// Runs a shell command; returns its exit status and what it printed
// (stdout and stderr).
std::pair<int, std::string> run_command(const std::string& command);

// The file's contents ("" when there is none).
std::string read_text_file(const std::string& path);

}  // namespace telltale::testing
