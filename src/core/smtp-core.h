/* smtp-core.h: umbrella header of the GTK-free core library
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-account-store.h"
#include "smtp-account.h"
#include "smtp-address.h"
#include "smtp-auth.h"
#include "smtp-autoconfig.h"
#include "smtp-capabilities.h"
#include "smtp-client.h"
#include "smtp-error.h"
#include "smtp-explain.h"
#include "smtp-keyring.h"
#include "smtp-message.h"
#include "smtp-providers.h"
#include "smtp-reply.h"
