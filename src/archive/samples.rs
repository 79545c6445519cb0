//! The five sample pages of the 焦作日报 built into the binary, so a new user sees a
//! working library with no arguments.

/// (file name, contents) of each embedded sample page.
pub const SAMPLES: &[(&str, &[u8])] = &[
    (
        "000_83b84c91cdb592ac.txt",
        include_bytes!("../../assets/000_83b84c91cdb592ac.txt"),
    ),
    (
        "001_1b6711bfa51548f6.txt",
        include_bytes!("../../assets/001_1b6711bfa51548f6.txt"),
    ),
    (
        "002_25f68620b5f54466.txt",
        include_bytes!("../../assets/002_25f68620b5f54466.txt"),
    ),
    (
        "003_382703217cb416d1.txt",
        include_bytes!("../../assets/003_382703217cb416d1.txt"),
    ),
    (
        "004_6a2e5b0ea364f4ab.txt",
        include_bytes!("../../assets/004_6a2e5b0ea364f4ab.txt"),
    ),
];
