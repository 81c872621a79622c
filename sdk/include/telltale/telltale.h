// Copyright 2026 The Telltale Authors. Apache-2.0.
//
// The Telltale SDK: include this one header. See tracker.h to start.
#pragma once

#include "telltale/options.h"
#include "telltale/properties.h"
#include "telltale/stats.h"
#include "telltale/status.h"
#include "telltale/tracker.h"
