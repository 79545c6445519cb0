//! Helpers shared by the integration tests.

use std::io::Write;
use std::process::{Command, Stdio};

/// Python's `wcwidth` as an independent width oracle: every row of `text` fits in
/// `width` columns (and none has a character wcwidth can't measure). Returns false,
/// checking nothing, when python3 or wcwidth is not installed — except in CI, which
/// installs them, where that fails.
#[allow(dead_code)]
pub fn rows_fit_by_wcwidth(text: &str, width: usize) -> bool {
    let probe = Command::new("python3")
        .args(["-c", "import wcwidth"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 wcwidth is missing in CI"
        );
        return false;
    }
    let script = r#"
import sys
from wcwidth import wcswidth
width = int(sys.argv[1])
bad = [(n, wcswidth(l), l) for n, l in enumerate(sys.stdin.read().split("\n")) if wcswidth(l) > width or wcswidth(l) < 0]
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script, &width.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "rows wider than {width} by wcwidth:\n{}\n{text}",
        String::from_utf8_lossy(&out.stdout)
    );
    true
}

/// Every SGR parameter list (`ESC[…m`, the text between `ESC[` and `m`) in `bytes`.
#[allow(dead_code)]
pub fn sgr_params(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.split("\x1b[")
        .skip(1)
        .filter_map(|rest| {
            let end = rest.find(|c: char| ('\x40'..='\x7e').contains(&c))?;
            (rest.as_bytes()[end] == b'm').then(|| rest[..end].to_string())
        })
        .collect()
}

/// Whether this test run is root with `setpriv`: the one who can start dubao as another
/// user (for whom permissions hold; root reads any file).
#[allow(dead_code)]
pub fn can_switch_user() -> bool {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    root && Command::new("setpriv").arg("--version").output().is_ok()
}
