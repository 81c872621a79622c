// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "spool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace telltale::detail {
namespace {

namespace fs = std::filesystem;

class SpoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("telltale_spool_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Spool> open(size_t max_bytes = 1 << 20) {
    Status why;
    auto s = Spool::open(dir_.string(), max_bytes, &diag_, &why);
    EXPECT_TRUE(s) << why.message();
    return s;
  }
  static std::vector<uint8_t> body(uint8_t fill, size_t n = 100) { return std::vector<uint8_t>(n, fill); }

  fs::path dir_;
  std::vector<std::string> messages_;
  Diagnostics diag_{[this](LogLevel, std::string_view m) { messages_.emplace_back(m); }, 1000};
};

TEST_F(SpoolTest, ReturnsBatchesOldestFirst) {
  auto s = open();
  uint64_t evicted = 0;
  ASSERT_TRUE(s->write(body(1), 10, &evicted));
  ASSERT_TRUE(s->write(body(2), 20, &evicted));
  auto a = s->front();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->events, 10u);
  EXPECT_EQ(a->body, body(1));
  s->remove(a->sequence);
  auto b = s->front();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body, body(2));
  s->remove(b->sequence);
  EXPECT_TRUE(s->empty());
  EXPECT_EQ(evicted, 0u);
}

TEST_F(SpoolTest, SurvivesReopenInOrder) {
  {
    auto s = open();
    uint64_t evicted = 0;
    for (uint8_t i = 1; i <= 5; ++i) ASSERT_TRUE(s->write(body(i), i, &evicted));
  }
  auto s = open();
  EXPECT_EQ(s->batches(), 5u);
  for (uint8_t i = 1; i <= 5; ++i) {
    auto b = s->front();
    ASSERT_TRUE(b);
    EXPECT_EQ(b->body, body(i));
    EXPECT_EQ(b->events, i);
    s->remove(b->sequence);
  }
  // New writes continue the sequence after the old files.
  uint64_t evicted = 0;
  ASSERT_TRUE(s->write(body(9), 1, &evicted));
  EXPECT_EQ(s->front()->body, body(9));
}

TEST_F(SpoolTest, EvictsOldestBeyondTheBoundAndCountsTheirEvents) {
  auto s = open(3 * (24 + 100));
  uint64_t evicted = 0;
  for (uint8_t i = 1; i <= 5; ++i) ASSERT_TRUE(s->write(body(i), 7, &evicted));
  EXPECT_EQ(evicted, 14u);
  EXPECT_EQ(s->batches(), 3u);
  EXPECT_LE(s->bytes(), 3u * 124);
  EXPECT_EQ(s->front()->body, body(3));
}

TEST_F(SpoolTest, SkipsCorruptFilesWithADiagnostic) {
  {
    auto s = open();
    uint64_t evicted = 0;
    ASSERT_TRUE(s->write(body(1), 1, &evicted));
    ASSERT_TRUE(s->write(body(2), 1, &evicted));
  }
  // Corrupt the first file's payload and drop garbage beside it.
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir_)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  {
    std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(30);
    f.put('X');
  }
  std::ofstream(dir_ / "00000000000000000003.batch") << "short";
  std::ofstream(dir_ / "00000000000000000099.part") << "interrupted write";
  std::ofstream(dir_ / "notes.txt") << "not ours";

  auto s = open();
  auto b = s->front();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body, body(2));
  s->remove(b->sequence);
  EXPECT_FALSE(s->front());  // the short file is skipped too
  EXPECT_FALSE(fs::exists(dir_ / "00000000000000000099.part"));
  EXPECT_TRUE(fs::exists(dir_ / "notes.txt"));
  EXPECT_GE(messages_.size(), 2u);
}

TEST_F(SpoolTest, RefusesABatchLargerThanTheWholeSpool) {
  auto s = open(1000);
  uint64_t evicted = 0;
  EXPECT_FALSE(s->write(body(1, 2000), 1, &evicted));
  EXPECT_TRUE(s->empty());
}

TEST_F(SpoolTest, OpenFailsClearlyOnAnUnusableDirectory) {
  std::ofstream(dir_.string() + "_file") << "x";
  Status why;
  auto s = Spool::open(dir_.string() + "_file/sub", 1 << 20, &diag_, &why);
  EXPECT_FALSE(s);
  EXPECT_EQ(why.code(), StatusCode::kIoError);
  EXPECT_NE(why.message().find("spool_dir"), std::string::npos);
  fs::remove(dir_.string() + "_file");
}

}  // namespace
}  // namespace telltale::detail
