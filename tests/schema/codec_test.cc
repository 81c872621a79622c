// Copyright 2026 The Telltale Authors. Apache-2.0.
#include "telltale/schema/codec.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <random>

#include "telltale_generated.h"

namespace telltale::wire {
namespace {

BatchHeader header_with_id(uint64_t n) {
  BatchHeader h;
  h.batch_id = Id16::from_parts(n, ~n);
  h.sent_at_ms = 1'790'000'000'000;
  h.sdk_name = "telltale-cpp";
  h.sdk_version = "0.1.0";
  return h;
}

std::vector<uint8_t> encode_sample(size_t events, BatchHeader h = header_with_id(7)) {
  BatchEncoder enc;
  for (size_t i = 0; i < events; ++i) {
    Property props[] = {{"rows", {ValueType::kInt, int64_t(i) * 10, 0, {}}},
                        {"plan", {ValueType::kString, 0, 0, "free"}},
                        {"ratio", {ValueType::kDouble, 0, 0.25 * double(i), {}}},
                        {"admin", {ValueType::kBool, int64_t(i % 2), 0, {}}}};
    Event e;
    e.message_id = Id16::from_parts(42, i + 1);
    e.type = EventType::kTrack;
    e.time_ms = 1'790'000'000'000 + int64_t(i) * 3;
    e.account = i % 2 ? "acme" : "globex";
    e.user = i % 5 ? "u1" : "u0";
    e.name = "Report Created";
    e.props = props;
    e.prop_count = 4;
    enc.add(e);
  }
  std::vector<uint8_t> out;
  EXPECT_TRUE(enc.finish(h, &out).ok());
  return out;
}

TEST(Codec, RoundTripsEveryFieldAndType) {
  BatchHeader h = header_with_id(9);
  h.report.dropped[size_t(DropReason::kQueueFull)] = 3;
  h.report.retried = 2;
  h.report.spooled = 5;
  auto bytes = encode_sample(10, h);

  BatchDecoder dec;
  DecodedBatch d;
  ASSERT_TRUE(dec.decode(bytes.data(), bytes.size(), &d).ok());
  EXPECT_EQ(d.header.batch_id, h.batch_id);
  EXPECT_EQ(d.header.sent_at_ms, h.sent_at_ms);
  EXPECT_EQ(d.header.sdk_name, "telltale-cpp");
  EXPECT_EQ(d.header.report.dropped[size_t(DropReason::kQueueFull)], 3u);
  EXPECT_EQ(d.header.report.retried, 2u);
  EXPECT_EQ(d.header.report.spooled, 5u);
  ASSERT_EQ(d.events.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    const Event& e = d.events[i];
    EXPECT_EQ(e.message_id, Id16::from_parts(42, i + 1));
    EXPECT_EQ(e.time_ms, 1'790'000'000'000 + int64_t(i) * 3);
    EXPECT_EQ(e.account, i % 2 ? "acme" : "globex");
    EXPECT_EQ(e.name, "Report Created");
    ASSERT_EQ(e.prop_count, 4u);
    EXPECT_EQ(e.props[0].key, "rows");
    EXPECT_EQ(e.props[0].value.type, ValueType::kInt);
    EXPECT_EQ(e.props[0].value.i, int64_t(i) * 10);
    EXPECT_EQ(e.props[1].value.s, "free");
    EXPECT_DOUBLE_EQ(e.props[2].value.d, 0.25 * double(i));
    EXPECT_EQ(e.props[3].value.type, ValueType::kBool);
    EXPECT_EQ(e.props[3].value.i, int64_t(i % 2));
  }
}

TEST(Codec, EmptyBatchRoundTrips) {
  auto bytes = encode_sample(0);
  BatchDecoder dec;
  DecodedBatch d;
  ASSERT_TRUE(dec.decode(bytes.data(), bytes.size(), &d).ok());
  EXPECT_TRUE(d.events.empty());
}

TEST(Codec, EncoderIsReusableAcrossBatches) {
  BatchEncoder enc;
  Event e;
  e.account = "a";
  e.name = "X";
  enc.add(e);
  enc.reset();
  e.account = "b";
  enc.add(e);
  std::vector<uint8_t> out;
  ASSERT_TRUE(enc.finish(header_with_id(1), &out).ok());
  BatchDecoder dec;
  DecodedBatch d;
  ASSERT_TRUE(dec.decode(out.data(), out.size(), &d).ok());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].account, "b");
}

TEST(Codec, RejectsCompressedInputOverTheLimit) {
  auto bytes = encode_sample(50);
  Limits limits;
  limits.max_compressed_bytes = bytes.size() - 1;
  BatchDecoder dec(limits);
  DecodedBatch d;
  EXPECT_EQ(dec.decode(bytes.data(), bytes.size(), &d).code, CodecError::kTooLarge);
}

TEST(Codec, RejectsAZstdBombWithoutInflatingIt) {
  // 512 MiB of zeros compresses to a few kilobytes.
  std::vector<uint8_t> zeros(512u << 20, 0);
  std::vector<uint8_t> bomb(ZSTD_compressBound(zeros.size()));
  bomb.resize(ZSTD_compress(bomb.data(), bomb.size(), zeros.data(), zeros.size(), 1));
  zeros = {};
  BatchDecoder dec;  // 64 MiB decompressed limit
  DecodedBatch d;
  EXPECT_EQ(dec.decode(bomb.data(), bomb.size(), &d).code, CodecError::kTooLarge);
}

TEST(Codec, RejectsABombThatHidesItsSize) {
  // A streamed frame carries no content size: the bound must hold anyway.
  std::vector<uint8_t> zeros(8u << 20, 0);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  std::vector<uint8_t> out(ZSTD_compressBound(zeros.size()));
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  for (size_t at = 0; at < zeros.size(); at += 65536) {
    ZSTD_inBuffer in{zeros.data() + at, 65536, 0};
    while (in.pos < in.size) ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_continue);
  }
  ZSTD_inBuffer none{nullptr, 0, 0};
  while (ZSTD_compressStream2(cctx, &o, &none, ZSTD_e_end) != 0) {
  }
  ZSTD_freeCCtx(cctx);
  out.resize(o.pos);
  ASSERT_EQ(ZSTD_getFrameContentSize(out.data(), out.size()), ZSTD_CONTENTSIZE_UNKNOWN);
  Limits limits;
  limits.max_decompressed_bytes = 1u << 20;
  BatchDecoder dec(limits);
  DecodedBatch d;
  EXPECT_EQ(dec.decode(out.data(), out.size(), &d).code, CodecError::kTooLarge);
}

TEST(Codec, RejectsTruncatedAndGarbageInput) {
  auto bytes = encode_sample(20);
  BatchDecoder dec;
  DecodedBatch d;
  EXPECT_FALSE(dec.decode(bytes.data(), bytes.size() / 2, &d).ok());
  std::vector<uint8_t> garbage(1000, 0xAB);
  EXPECT_EQ(dec.decode(garbage.data(), garbage.size(), &d).code, CodecError::kBadCompression);
  EXPECT_FALSE(dec.decode(nullptr, 0, &d).ok());
}

TEST(Codec, RejectsWrongIdentifier) {
  std::vector<uint8_t> raw;
  BatchEncoder enc;
  enc.finish_uncompressed(header_with_id(1), &raw);
  raw[4] = 'X';  // the file identifier sits at bytes 4..7
  BatchDecoder dec;
  DecodedBatch d;
  EXPECT_EQ(dec.decode_uncompressed(raw, &d).code, CodecError::kNotABatch);
}

TEST(Codec, RejectsDictionaryIndexOutOfRange) {
  // A well-formed FlatBuffer whose account index points past the dictionary.
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<uint8_t> blob = {'a'};
  std::vector<uint32_t> ends = {1};
  std::vector<uint32_t> bad = {5};
  std::vector<uint8_t> zero8 = {0};
  std::vector<int64_t> zero64 = {0};
  std::vector<uint64_t> zerou64 = {0};
  fb::Id16 id;
  auto b = fb::CreateBatch(fbb, &id, 0, 0, 0, 0, fbb.CreateVector(blob), fbb.CreateVector(ends),
                           fbb.CreateVector(reinterpret_cast<const fb::EventType*>(zero8.data()), 1),
                           fbb.CreateVector(zero64), fbb.CreateVector(zerou64), fbb.CreateVector(zerou64),
                           fbb.CreateVector(bad), fbb.CreateVector(std::vector<uint32_t>{0}),
                           fbb.CreateVector(std::vector<uint32_t>{0}), fbb.CreateVector(zero8));
  fbb.Finish(b, fb::BatchIdentifier());
  std::vector<uint8_t> raw(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
  BatchDecoder dec;
  DecodedBatch d;
  EXPECT_EQ(dec.decode_uncompressed(raw, &d).code, CodecError::kInconsistent);
}

TEST(Codec, RejectsTooManyEvents) {
  auto bytes = encode_sample(30);
  Limits limits;
  limits.max_events = 29;
  BatchDecoder dec(limits);
  DecodedBatch d;
  EXPECT_EQ(dec.decode(bytes.data(), bytes.size(), &d).code, CodecError::kTooManyEvents);
}

TEST(Codec, SurvivesRandomCorruption) {
  // Flip bytes of a valid uncompressed batch: every outcome is a clean error
  // or a valid decode, never a crash (ASan/UBSan builds check the "never").
  std::vector<uint8_t> raw;
  {
    BatchEncoder enc;
    Property p{"k", {ValueType::kString, 0, 0, "v"}};
    for (int i = 0; i < 8; ++i) {
      Event e;
      e.account = "acct";
      e.name = "E";
      e.props = &p;
      e.prop_count = 1;
      enc.add(e);
    }
    enc.finish_uncompressed(header_with_id(3), &raw);
  }
  std::mt19937 rng(1234);
  BatchDecoder dec;
  size_t rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> mutated = raw;
    int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) mutated[rng() % mutated.size()] = uint8_t(rng());
    DecodedBatch d;
    if (!dec.decode_uncompressed(std::move(mutated), &d).ok()) ++rejected;
  }
  EXPECT_GT(rejected, 0u);
}

TEST(Codec, NamesAreStable) {
  EXPECT_STREQ(drop_reason_name(DropReason::kQueueFull), "queue_full");
  EXPECT_STREQ(drop_reason_name(DropReason::kShutdownTimeout), "shutdown_timeout");
  EXPECT_STREQ(event_type_name(EventType::kUsage), "usage");
  EXPECT_EQ(Id16::from_parts(1, 2).hex(), "00000000000000010000000000000002");
}

}  // namespace
}  // namespace telltale::wire
