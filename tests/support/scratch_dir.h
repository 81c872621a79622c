// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// ScratchDir: a fresh directory path for the running test,
// <tmp>/telltale_<what>_<pid>_<test name>, emptied when made and removed,
// with everything in it, when the object goes (the directory itself is
// left to the code under test to create). For GoogleTest tests: make one
// while a test runs (a fixture's member will do). Not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace telltale::testing {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& what)
      : path_((std::filesystem::temp_directory_path() /
               ("telltale_" + what + "_" + std::to_string(::getpid()) + "_" + test_name()))
                  .string()) {
    std::filesystem::remove_all(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  // The running test's name, as one path component (a parameterised
  // test's name has a '/' in it).
  static std::string test_name() {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
      if (c == '/') c = '_';
    return name;
  }

  std::string path_;
};

}  // namespace telltale::testing
