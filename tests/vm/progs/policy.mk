# SPDX-License-Identifier: GPL-2.0-or-later
# policy-peek uses the policy core's capability helpers.
LDLIBS_policy-peek := $(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a -lcap
# Rebuilt when the code it links changes.
policy-peek: $(TOP)/policy/libphyspolicy.a $(TOP)/common/libphyscommon.a
