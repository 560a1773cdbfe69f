//! The ssh sessions this test process holds to an engine, read from `/proc`: each is a
//! child `ssh ... docker system dial-stdio` here and, on the far side (the lab's sshd,
//! on this same machine), an `sshd: root@notty` with its `docker system dial-stdio`.
//!
//! Only this process's sessions count: another test binary (or developer) using the
//! lab's sshd at the same time has its own. A far-side session is matched to ours by
//! its TCP connection: the sshd's peer port is our ssh client's local port.

use std::collections::{HashMap, HashSet};
use std::fs;

/// One moment's count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sessions {
    /// Our `ssh ... dial-stdio` children.
    pub clients: usize,
    /// Far-side `docker system dial-stdio` processes serving them.
    pub far_dial_stdio: usize,
    /// Their resident memory, KiB.
    pub far_dial_stdio_kib: u64,
    /// The far-side `sshd` session processes above them, KiB.
    pub far_sshd_kib: u64,
    /// Our ssh clients, KiB.
    pub clients_kib: u64,
}

impl Sessions {
    pub fn summary(&self) -> String {
        format!(
            "{} ssh clients here ({} KiB); far side {} docker dial-stdio ({:.1} MiB) under sshd sessions ({:.1} MiB)",
            self.clients,
            self.clients_kib,
            self.far_dial_stdio,
            self.far_dial_stdio_kib as f64 / 1024.0,
            self.far_sshd_kib as f64 / 1024.0,
        )
    }
}

/// Counts now.
pub fn count() -> Sessions {
    let me = std::process::id();
    let procs = processes();
    let clients: Vec<&Proc> = procs
        .values()
        .filter(|p| p.ppid == me && p.is_ssh_client())
        .collect();
    let ports = tcp_ports();
    let our_ports: HashSet<u16> = clients
        .iter()
        .flat_map(|c| sockets(c.pid))
        .filter_map(|inode| ports.get(&inode).map(|(local, _)| *local))
        .collect();
    let mut s = Sessions {
        clients: clients.len(),
        clients_kib: clients.iter().map(|c| c.rss_kib).sum(),
        ..Sessions::default()
    };
    for far in procs.values().filter(|p| p.is_far_dial_stdio()) {
        let Some(sshd) = procs.get(&far.ppid).filter(|p| p.comm == "sshd") else {
            continue;
        };
        let ours = sockets(sshd.pid)
            .iter()
            .filter_map(|inode| ports.get(inode))
            .any(|(_, peer)| our_ports.contains(peer));
        if ours {
            s.far_dial_stdio += 1;
            s.far_dial_stdio_kib += far.rss_kib;
            s.far_sshd_kib += sshd.rss_kib;
        }
    }
    s
}

struct Proc {
    pid: u32,
    ppid: u32,
    comm: String,
    args: Vec<String>,
    rss_kib: u64,
}

impl Proc {
    fn ends_in_dial_stdio(&self) -> bool {
        self.args.ends_with(&["system".into(), "dial-stdio".into()])
    }
    fn is_ssh_client(&self) -> bool {
        self.comm == "ssh" && self.ends_in_dial_stdio()
    }
    fn is_far_dial_stdio(&self) -> bool {
        self.comm == "docker" && self.ends_in_dial_stdio()
    }
}

fn processes() -> HashMap<u32, Proc> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return HashMap::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(read_proc)
        .map(|p| (p.pid, p))
        .collect()
}

/// `None` for a process gone meanwhile (or a kernel thread without a command line).
fn read_proc(pid: u32) -> Option<Proc> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
    };
    let cmdline = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<String> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    Some(Proc {
        pid,
        ppid: field("PPid:")?.parse().ok()?,
        comm: field("Name:")?,
        args,
        rss_kib: field("VmRSS:")
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0),
    })
}

/// Socket inodes a process holds open.
fn sockets(pid: u32) -> Vec<u64> {
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return vec![];
    };
    fds.filter_map(|fd| {
        let link = fs::read_link(fd.ok()?.path()).ok()?;
        let link = link.to_str()?;
        link.strip_prefix("socket:[")?
            .strip_suffix(']')?
            .parse()
            .ok()
    })
    .collect()
}

/// TCP sockets by inode: (local port, peer port).
fn tcp_ports() -> HashMap<u64, (u16, u16)> {
    let mut out = HashMap::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let port = |addr: &str| u16::from_str_radix(addr.rsplit(':').next()?, 16).ok();
            let (Some(local), Some(peer), Some(inode)) = (
                cols.get(1).and_then(|a| port(a)),
                cols.get(2).and_then(|a| port(a)),
                cols.get(9).and_then(|i| i.parse().ok()),
            ) else {
                continue;
            };
            out.insert(inode, (local, peer));
        }
    }
    out
}
