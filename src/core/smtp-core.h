/* smtp-core.h: umbrella header of the GTK-free core library
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-address.h"
#include "smtp-error.h"
