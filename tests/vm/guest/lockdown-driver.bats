# physmem-drv under kernel lockdown (boot with lockdown=integrity):
# /dev/physmem must refuse open like /dev/mem does.
load /tests/lib/guest

@test "lockdown=integrity: open of /dev/physmem is refused" {
	grep -q '\[integrity\]\|\[confidentiality\]' /sys/kernel/security/lockdown ||
		skip "kernel not locked down"
	[ -c /dev/physmem ]
	run physmem-t open
	assert_output --partial "open: EPERM"
	run dmesg
	assert_output --partial "/dev/mem,kmem,port is restricted"
}
