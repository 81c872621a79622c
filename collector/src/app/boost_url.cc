// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// Boost.URL compiled into the collector (its header-only mode), so no
// separate Boost library package is needed.
#include <boost/url/src.hpp>
