#![expect(
    clippy::needless_pass_by_value,
    reason = "every function has the dispatch table's signature"
)]

//! `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask` for IPv4 and IPv6, with the address
//! arithmetic of the Go library Terraform uses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use cw_diagnostics::Spanned;

use super::{Cx, Out, arity, want_int, want_str};
use crate::terraform::value::{Value, sp};

type Args = Vec<Spanned<Value>>;

/// A network: its (masked) base address, address width (32 or 128) and prefix length.
#[derive(Clone, Copy)]
struct Net {
    base: u128,
    bits: u32,
    len: u32,
}

fn mask(bits: u32, len: u32) -> u128 {
    let all = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    if len == 0 {
        0
    } else {
        all & !((1u128 << (bits - len)) - 1) & all
    }
}

fn parse(s: &str) -> Result<Net, String> {
    let (addr, len) = s
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR address {s:?}"))?;
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("invalid CIDR address {s:?}"))?;
    let (value, bits) = match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    let len: u32 = len
        .parse()
        .map_err(|_| format!("invalid CIDR address {s:?}"))?;
    if len > bits {
        return Err(format!("invalid CIDR address {s:?}"));
    }
    Ok(Net {
        base: value & mask(bits, len),
        bits,
        len,
    })
}

fn addr(value: u128, bits: u32) -> String {
    if bits == 32 {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "an IPv4 address fits 32 bits"
        )]
        Ipv4Addr::from(value as u32).to_string()
    } else {
        Ipv6Addr::from(value).to_string()
    }
}

fn show(n: Net) -> String {
    format!("{}/{}", addr(n.base, n.bits), n.len)
}

fn subnet(n: Net, newbits: i64, netnum: i64) -> Result<Net, String> {
    if newbits < 0 || netnum < 0 {
        return Err("newbits and netnum must not be negative".to_owned());
    }
    let len = i64::from(n.len) + newbits;
    if len > i64::from(n.bits) {
        return Err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            n.len
        ));
    }
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "checked ranges"
    )]
    let (len, newbits, netnum) = (len as u32, newbits as u32, netnum as u128);
    if newbits < 128 && netnum >= (1u128 << newbits) {
        return Err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let shift = n.bits - len;
    let offset = if shift >= 128 { 0 } else { netnum << shift };
    Ok(Net {
        base: n.base | offset,
        bits: n.bits,
        len,
    })
}

pub(super) fn cidrsubnet(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 3, 3)?;
    let n = parse(&want_str(&args[0])?)?;
    let s = subnet(n, want_int(&args[1])?, want_int(&args[2])?)?;
    cx.string(show(s))
}

pub(super) fn cidrsubnets(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    if args.is_empty() {
        return Err("a prefix is required".to_owned());
    }
    let n = parse(&want_str(&args[0])?)?;
    let modulus = if n.bits == 128 {
        u128::MAX
    } else {
        (1u128 << n.bits) - 1
    };
    let mut out = Vec::new();
    // The subnet just before the first one, then each next subnet of the requested size.
    let mut current: Option<Net> = None;
    for a in &args[1..] {
        let newbits = want_int(a)?;
        if newbits < 1 || i64::from(n.len) + newbits > i64::from(n.bits) {
            return Err(format!(
                "would extend prefix to {} bits, which is too long for this address",
                i64::from(n.len) + newbits
            ));
        }
        #[expect(
            clippy::cast_sign_loss,
            clippy::cast_possible_truncation,
            reason = "checked ranges"
        )]
        let len = n.len + newbits as u32;
        let m = mask(n.bits, len);
        let next = match current {
            None => n.base & m,
            Some(cur) => {
                let cur_last = cur.base | (!mask(n.bits, cur.len) & modulus);
                let containing = cur_last & m;
                let containing_last = containing | (!m & modulus);
                let next = containing_last.wrapping_add(1) & modulus;
                if next == 0 {
                    return Err("not enough remaining address space".to_owned());
                }
                next & m
            }
        };
        let net = Net {
            base: next,
            bits: n.bits,
            len,
        };
        let n_last = n.base | (!mask(n.bits, n.len) & modulus);
        if next < n.base || next > n_last {
            return Err("not enough remaining address space for a subnet with a prefix of the requested length".to_owned());
        }
        out.push(sp(Value::String(show(net)), cx.range));
        current = Some(net);
    }
    cx.v(Value::List(out))
}

pub(super) fn cidrhost(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 2, 2)?;
    let n = parse(&want_str(&args[0])?)?;
    let hostnum = want_int(&args[1])?;
    let host_bits = n.bits - n.len;
    let size: i128 = if host_bits >= 127 {
        i128::MAX
    } else {
        1i128 << host_bits
    };
    let num = if hostnum < 0 {
        size + i128::from(hostnum)
    } else {
        i128::from(hostnum)
    };
    if num < 0 || num >= size {
        return Err(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            n.len
        ));
    }
    #[expect(clippy::cast_sign_loss, reason = "checked non-negative")]
    let value = n.base | num as u128;
    cx.string(addr(value, n.bits))
}

pub(super) fn cidrnetmask(cx: &mut Cx<'_, '_, '_>, args: Args) -> Out {
    arity(&args, 1, 1)?;
    let n = parse(&want_str(&args[0])?)?;
    if n.bits != 32 {
        return Err("only IPv4 prefixes have a netmask".to_owned());
    }
    cx.string(addr(mask(32, n.len), 32))
}
