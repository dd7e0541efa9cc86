# SPDX-License-Identifier: GPL-2.0-or-later
# physmem-stress runs worker threads.
LDLIBS_physmem-stress := -pthread
