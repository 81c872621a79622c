// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// BlockDeque<T>: a deque (Boost.Container's) that keeps its elements in
// blocks of 1,024. Elements never move once made, so others may keep
// pointers to them (the alert book to account states); and indexing reads a
// table of a few block pointers that stays in the L1 cache. std::deque's
// blocks are 512 bytes, one account state each, so its table had an entry
// per account and was one more cache miss on every event (engine_bench:
// 1.1-1.3x events/s with large blocks). std::allocator honours the
// elements' alignment. Not thread-safe, as any container.
#pragma once

#include <memory>

#include <boost/container/deque.hpp>
#include <boost/container/options.hpp>

namespace telltale::collector {

template <class T>
using BlockDeque = boost::container::deque<T, std::allocator<T>,
                                           boost::container::deque_options_t<boost::container::block_size<1024u>>>;

}  // namespace telltale::collector
