//! Terminal output helpers: colour when stdout is a terminal, and turning a
//! snippet's HTML into plain or coloured text.
use std::io::IsTerminal;

/// Whether stdout is a terminal that takes colour.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The snippet's HTML as text: `<mark>` becomes bold yellow (or `[...]`
/// without colour), entities are unescaped.
pub fn snippet_text(html: &str, colour: bool) -> String {
    let (on, off) = if colour {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// `s` in bold when colour is on.
pub fn bold(s: &str, colour: bool) -> String {
    if colour {
        format!("\x1b[1m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// `s` dimmed when colour is on.
pub fn dim(s: &str, colour: bool) -> String {
    if colour {
        format!("\x1b[2m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// `s` cut to at most `chars` characters, with "…" when cut.
pub fn truncate(s: &str, chars: usize) -> String {
    match s.char_indices().nth(chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
