# policy-peek uses the policy core's capability helpers.
LDLIBS_policy-peek := $(TOP)/policy/libphyspolicy.a -lcap
# Relinked when the core is rebuilt.
policy-peek: $(TOP)/policy/libphyspolicy.a
