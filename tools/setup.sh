#!/bin/sh
# tools/setup.sh: installs everything gort's build needs on Debian 12; idempotent.
#
#   tools/setup.sh            install what is missing (packages need root)
#   tools/setup.sh --check    exit 0 silently when everything is present, 1 otherwise
#
# Design. This is the project's one piece of shell: thin glue around apt, meson and
# the cross compilers, so that `make` on a fresh machine can call it once. Steps:
#
# 1. Debian packages. dpkg-query lists the missing ones; as root they are installed
#    with one `apt-get update` and one `apt-get install`, apt's output going to
#    build/setup.log; not as root, the script names them and stops.
# 2. Sources. picolibc and libfdt (device-tree-compiler) are built from Debian's
#    source packages, taken from the archive the machine's apt already uses: its URI
#    comes from /etc/apt/sources.list.d/*.sources (deb822) or sources.list, never from
#    this file. bookworm's tarballs of both answer 404, so they come from the suite
#    named by src_suite below. The chain of trust is the one apt uses: the suite's
#    InRelease is checked with gpgv against Debian's archive keyring, the Sources
#    index against InRelease's SHA256, each tarball against the index. Only the
#    upstream .orig tarball is used (no Debian patches are needed to build). A
#    verified tarball is cached in build/deps/src/ with its hash beside it, so the
#    index is fetched only when a tarball is missing.
# 3. Builds, per arch (x86_64, aarch64, riscv64), with exactly the guest's compile
#    flags (see guest_env): picolibc via meson+ninja into build/deps/<arch>/picolibc/,
#    libfdt's C files compiled straight into build/deps/<arch>/libfdt/lib/libfdt.a.
#    Both use `-nostdinc` plus the compiler's freestanding headers, as the guest does.
# 4. Stamps. Each installed tree holds a .gort-stamp file whose one line is its recipe
#    (source kind, arch, flags, options). An output is current when its stamp holds
#    the recipe this script would use now, so changing flags here rebuilds it, and a
#    run with everything current costs one dpkg-query and a few reads.

# Word lists (flags, options, package names, command output) are expanded unquoted on
# purpose, and echo joins them into one line.
# shellcheck disable=SC2086,SC2046,SC2116
set -eu

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
deps=$root/build/deps
src=$deps/src
log=$root/build/setup.log
arches="x86_64 aarch64 riscv64"
# The archive's newest suite serving both tarballs; bookworm's answer 404.
src_suite=trixie
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# gcc and libc6-dev: the host compiler (x86_64 guests, host tools) is not pulled in by
# the others when recommends are skipped.
pkgs="qemu-system-x86 qemu-system-arm qemu-system-misc opensbi gcc-aarch64-linux-gnu
binutils-aarch64-linux-gnu gcc-riscv64-unknown-elf libelf-dev libdw-dev golang-go
linux-image-amd64 busybox-static libgc-dev meson ninja-build cpio xz-utils gcc libc6-dev"

# tinystdio with the double printf/scanf as default, no TLS (errno a plain global), no
# semihosting, no crt0, no multilib, no tests, no .specs file.
picolibc_opts="-Dtinystdio=true -Dformat-default=double -Dio-long-long=true
-Dthread-local-storage=false -Dnewlib-global-errno=true -Dsemihost=false -Dpicocrt=false
-Dpicocrt-lib=false -Dmultilib=false -Dtests=false -Dspecsdir=none -Dposix-console=false"
# Bump a revision when its build steps below change in a way the recipe cannot see.
picolibc_rev=1
libfdt_rev=1

say() { printf 'gort setup: %s\n' "$*"; }
die() { printf 'gort setup: %s\n' "$*" >&2; exit 1; }

# Sets cc, tp (binutils prefix), cflags, cpu for arch $1: the guest compile flags.
guest_env() {
	case $1 in
	x86_64)
		cc=gcc tp='' cpu=x86_64
		cflags="-m64 -ffreestanding -fno-pic -fno-pie -mno-red-zone -fno-stack-protector
-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -O2 -g" ;;
	aarch64)
		cc=aarch64-linux-gnu-gcc tp=aarch64-linux-gnu- cpu=aarch64
		cflags="-ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer
-mno-omit-leaf-frame-pointer -mcpu=cortex-a72 -O2 -g" ;;
	riscv64)
		cc=riscv64-unknown-elf-gcc tp=riscv64-unknown-elf- cpu=riscv64
		cflags="-ffreestanding -march=rv64gc -mabi=lp64d -mcmodel=medany -fno-stack-protector
-fno-omit-frame-pointer -O2 -g" ;;
	esac
	picolibc_recipe=$(echo picolibc $picolibc_rev "$1" $cflags $picolibc_opts)
	libfdt_recipe=$(echo libfdt $libfdt_rev "$picolibc_recipe")
}

# The compiler's own freestanding header directories (stdarg.h, stddef.h, limits.h).
sys_includes() {
	sysinc=
	for d in include include-fixed; do
		p=$($cc -print-file-name=$d)
		[ "$p" = "$d" ] || sysinc="$sysinc -isystem $p"
	done
}

# True when the stamp file $1 holds exactly the recipe $2.
stamp_ok() {
	[ -f "$1" ] && IFS= read -r got <"$1" && [ "$got" = "$2" ]
}

missing_pkgs() {
	have=$(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' $pkgs 2>/dev/null || true)
	missing=
	for p in $pkgs; do
		case "
$have
" in
		*"
ii $p
"*) ;;
		*) missing="$missing $p" ;;
		esac
	done
	missing=${missing# }
}

# Arches whose picolibc or libfdt is absent or built by another recipe.
stale_arches() {
	stale=
	for a in $arches; do
		guest_env "$a"
		if ! stamp_ok "$deps/$a/picolibc/.gort-stamp" "$picolibc_recipe" ||
			! stamp_ok "$deps/$a/libfdt/.gort-stamp" "$libfdt_recipe" ||
			! [ -f "$deps/$a/picolibc/lib/libc.a" ] ||
			! [ -f "$deps/$a/libfdt/lib/libfdt.a" ]; then
			stale="$stale $a"
		fi
	done
	stale=${stale# }
}

install_pkgs() {
	say "installing $missing (log: $log)"
	apt-get update >>"$log" 2>&1 ||
		die "apt-get update failed; is the Debian archive reachable? (log: $log)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
		>>"$log" 2>&1 || die "apt-get install of $missing failed (log: $log)"
	missing_pkgs
	[ -z "$missing" ] || die "still missing after apt-get install: $missing (log: $log)"
}

# Archive URI of the enabled "deb" entry for this machine's suite (deb822 first).
archive_uri() {
	codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null)
	codename=${codename:-bookworm}
	uri=
	set -- /etc/apt/sources.list.d/*.sources
	[ -f "$1" ] && uri=$(awk -v want="$codename" '
		function flush() {
			if (!found && types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no" &&
				(" " suites " ") ~ ("[ \t]" want "[ \t]") && uris != "") {
				split(uris, u, /[ \t]+/); print u[1]; found = 1
			}
			types = suites = uris = enabled = ""
		}
		FNR == 1 { flush() }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[^ \t]/ {
			k = tolower(substr($0, 1, index($0, ":") - 1))
			v = substr($0, index($0, ":") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v)
			if (k == "types") types = v; else if (k == "suites") suites = v
			else if (k == "uris") uris = v; else if (k == "enabled") enabled = tolower(v)
		}
		END { flush() }' "$@")
	if [ -z "$uri" ]; then
		set -- /etc/apt/sources.list /etc/apt/sources.list.d/*.list
		for f; do
			[ -f "$f" ] || continue
			uri=$(awk -v want="$codename" '
				$1 == "deb" {
					i = 2
					if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
					if ($(i + 1) == want) { print $i; exit }
				}' "$f")
			[ -z "$uri" ] || break
		done
	fi
	[ -n "$uri" ] || die "no 'deb' entry for $codename in /etc/apt/sources.list{,.d}"
	case $uri in
	http://* | https://* | ftp://* | file:/*) uri=${uri%/} ;;
	*) die "archive URI $uri (from apt's sources) is not one curl/wget can fetch" ;;
	esac
}

# Use apt's proxy for the downloads when the environment names none.
apt_proxy() {
	http_proxy=${http_proxy:-} https_proxy=${https_proxy:-}
	eval "$(apt-config shell ap Acquire::http::Proxy aps Acquire::https::Proxy)"
	case ${ap:-} in http*) [ -n "$http_proxy" ] || http_proxy=$ap ;; esac
	case ${aps:-} in http*) [ -n "$https_proxy" ] || https_proxy=$aps ;; esac
	[ -z "$http_proxy" ] || export http_proxy
	[ -z "$https_proxy" ] || export https_proxy
}

# fetch URL FILE: download to FILE (atomically), with curl, wget or apt's own helper.
fetch() {
	rm -f "$2.part"
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 2 --connect-timeout 30 -o "$2.part" "$1" 2>>"$log"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -T 30 -O "$2.part" "$1" 2>>"$log"
	else
		/usr/lib/apt/apt-helper download-file "$1" "$2.part" >>"$log" 2>&1
	fi || { rm -f "$2.part"; die "download of $1 failed; is the Debian archive reachable?"; }
	mv "$2.part" "$2"
}

sha256_of() { set -- $(sha256sum "$1"); sum=$1; }

# Verified, decompressed Sources index of $src_suite main, in $src/Sources.
get_index() {
	[ -z "${index_done:-}" ] || return 0
	archive_uri
	apt_proxy
	dist=$uri/dists/$src_suite
	say "reading the $src_suite source index from $uri"
	fetch "$dist/InRelease" "$src/InRelease"
	gpgv --keyring "$keyring" --output "$src/Release" "$src/InRelease" >>"$log" 2>&1 ||
		die "$dist/InRelease: bad signature (log: $log)"
	for ext in xz gz; do
		want=$(awk -v f="main/source/Sources.$ext" '
			/^SHA256:/ { s = 1; next } /^[^ ]/ { s = 0 } s && $3 == f { print $1; exit }' \
			"$src/Release")
		[ -z "$want" ] || break
	done
	[ -n "$want" ] || die "$dist/InRelease lists no main/source/Sources index"
	fetch "$dist/main/source/Sources.$ext" "$src/Sources.$ext"
	sha256_of "$src/Sources.$ext"
	[ "$sum" = "$want" ] || die "$dist/main/source/Sources.$ext: sha256 mismatch"
	case $ext in xz) xz -dc "$src/Sources.$ext" >"$src/Sources" ;;
	gz) gzip -dc "$src/Sources.$ext" >"$src/Sources" ;; esac
	rm -f "$src/Sources.$ext" "$src/InRelease"
	index_done=1
}

# get_orig PKG: verified upstream tarball of source package PKG; sets tarball.
# $src/PKG.orig holds "NAME SHA256" of the cached copy.
get_orig() {
	if [ -f "$src/$1.orig" ] && read -r name want <"$src/$1.orig" && [ -f "$src/$name" ]; then
		sha256_of "$src/$name"
		if [ "$sum" = "$want" ]; then tarball=$src/$name; return 0; fi
	fi
	get_index
	set -- "$1" $(awk -v pkg="$1" '
		/^Package: / { inp = ($2 == pkg) } !inp { next }
		/^$/ { if (name != "") exit; inp = 0; next }
		/^Directory: / { dir = $2 }
		/^[^ ]/ { sha = ($1 == "Checksums-Sha256:") }
		sha && /^ / && $3 ~ /\.orig\.tar\.[a-z0-9]+$/ { hash = $1; name = $3 }
		END { if (name != "" && dir != "") print dir, hash, name }' "$src/Sources")
	[ $# = 4 ] || die "no $1 .orig tarball in the $src_suite Sources index"
	say "downloading $4"
	fetch "$uri/$2/$4" "$src/$4"
	sha256_of "$src/$4"
	[ "$sum" = "$3" ] || { rm -f "$src/$4"; die "$4: sha256 mismatch with the index"; }
	echo "$4 $3" >"$src/$1.orig"
	tarball=$src/$4
}

# unpack PKG: $tarball unpacked into $src/PKG (kept while the tarball is the same).
unpack() {
	tree=$src/$1
	name=${tarball##*/}
	stamp_ok "$tree/.gort-unpacked" "$name" && return 0
	rm -rf "$tree"
	mkdir -p "$tree"
	tar -xf "$tarball" -C "$tree" --strip-components=1 || die "cannot unpack $tarball"
	echo "$name" >"$tree/.gort-unpacked"
}

# Meson cross file for arch $1 in build/deps/$1/picolibc-cross.txt.
write_cross() {
	list=
	for f in $cflags; do list="$list'$f', "; done
	# The header flags sit in the compiler command: meson drops c_args' -isystem of
	# a directory it knows as the compiler's default.
	exe="'$cc', '-nostdlib', '-nostdinc', "
	for f in $sysinc; do exe="$exe'$f', "; done
	cat >"$deps/$1/picolibc-cross.txt" <<EOF
# Generated by tools/setup.sh: picolibc for gort's $1 guests (guest flags).
[binaries]
c = [${exe%, }]
ar = '${tp}ar'
as = '${tp}as'
nm = '${tp}nm'
strip = '${tp}strip'
objcopy = '${tp}objcopy'

[host_machine]
system = 'none'
cpu_family = '$cpu'
cpu = '$cpu'
endian = 'little'

[properties]
skip_sanity_check = true

[built-in options]
c_args = [${list%, }]
c_link_args = ['-nostdlib']
EOF
}

build_picolibc() {
	out=$deps/$1/picolibc
	bld=$deps/$1/picolibc-build
	say "building picolibc ${picolibc_version:-} for $1"
	rm -rf "$out" "$bld"
	mkdir -p "$deps/$1"
	write_cross "$1"
	meson setup --cross-file "$deps/$1/picolibc-cross.txt" --prefix "$out" --libdir lib \
		--includedir include -Dbuildtype=plain $picolibc_opts "$bld" "$src/picolibc" \
		>>"$log" 2>&1 || die "picolibc configure for $1 failed (log: $log)"
	ninja -C "$bld" install >>"$log" 2>&1 || die "picolibc build for $1 failed (log: $log)"
	rm -rf "$bld"
	echo "$picolibc_recipe" >"$out/.gort-stamp"
}

build_libfdt() {
	out=$deps/$1/libfdt
	obj=$deps/$1/libfdt-build
	say "building libfdt ${libfdt_version:-} for $1"
	rm -rf "$out" "$obj"
	mkdir -p "$out/include" "$out/lib" "$obj"
	for c in "$src/device-tree-compiler/libfdt/"*.c; do
		o=${c##*/}
		$cc $cflags -nostdinc -isystem "$deps/$1/picolibc/include" $sysinc \
			-I"$src/device-tree-compiler/libfdt" -c "$c" -o "$obj/${o%.c}.o" \
			>>"$log" 2>&1 || die "libfdt build for $1 failed on ${c##*/} (log: $log)"
	done
	"${tp}ar" rcs "$out/lib/libfdt.a" "$obj"/*.o
	for h in fdt.h libfdt.h libfdt_env.h; do
		cp "$src/device-tree-compiler/libfdt/$h" "$out/include/"
	done
	rm -rf "$obj"
	echo "$libfdt_recipe" >"$out/.gort-stamp"
}

case ${1:-} in
--check) check=1 ;;
'') check= ;;
*) echo "usage: tools/setup.sh [--check]" >&2; exit 2 ;;
esac

missing_pkgs
if [ -n "$check" ]; then
	[ -z "$missing" ] || exit 1
	stale_arches
	[ -z "$stale" ] || exit 1
	exit 0
fi

if [ -n "$missing" ] && [ "$(id -u)" != 0 ]; then
	die "packages missing ($missing): run as root or install them"
fi
mkdir -p "$root/build"
if [ -n "$missing" ]; then
	: >"$log"
	install_pkgs
	logged=1
fi

stale_arches
[ -n "$stale" ] || exit 0
mkdir -p "$src"
[ -n "${logged:-}" ] || : >"$log"
get_orig picolibc
unpack picolibc
picolibc_version=${name#*_}; picolibc_version=${picolibc_version%.orig*}
get_orig device-tree-compiler
unpack device-tree-compiler
libfdt_version=${name#*_}; libfdt_version=${libfdt_version%.orig*}
rm -f "$src/Sources" "$src/Release"

for a in $stale; do
	guest_env "$a"
	sys_includes
	if ! stamp_ok "$deps/$a/picolibc/.gort-stamp" "$picolibc_recipe" ||
		! [ -f "$deps/$a/picolibc/lib/libc.a" ]; then
		build_picolibc "$a"
	fi
	build_libfdt "$a"
done
say "dependencies ready in $deps"
