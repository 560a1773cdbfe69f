//! Variables in compose values, as `docker stack deploy` reads them: `$VAR`, `${VAR}`,
//! `${VAR:-default}` (unset or empty), `${VAR-default}` (unset), `${VAR:?message}`,
//! `${VAR?message}`, and `$$` for a dollar. An unset variable without a default is an
//! empty string and a warning. Written here because no maintained crate follows the
//! CLI's rules (a lone `$` before anything else is an error there, not text).

/// What went wrong in one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `${VAR?message}` with VAR unset (or empty, with `:?`).
    Required { name: String, message: String },
    /// Not a variable the CLI would read (`$1`, `${`, `${}`).
    Invalid(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Required { name, message } if message.is_empty() => {
                write!(f, "required variable {name} is not set")
            }
            Problem::Required { name, message } => {
                write!(f, "required variable {name} is not set: {message}")
            }
            Problem::Invalid(s) => write!(f, "invalid interpolation format in {s:?}"),
        }
    }
}

/// `text` with its variables replaced; `unset` gets the names read as blank.
pub fn interpolate(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    unset: &mut Vec<String>,
) -> Result<String, Problem> {
    let invalid = || Problem::Invalid(text.to_string());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(r) = after.strip_prefix('$') {
            out.push('$');
            rest = r;
        } else if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}').ok_or_else(invalid)?;
            out.push_str(&substitute(&braced[..end], lookup, unset).ok_or_else(invalid)??);
            rest = &braced[end + 1..];
        } else {
            let len = name_len(after);
            if len == 0 {
                return Err(invalid());
            }
            out.push_str(&value_or_blank(&after[..len], lookup, unset));
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The length of the variable name `s` starts with (`[_A-Za-z][_A-Za-z0-9]*`).
fn name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first()
        .is_none_or(|c| !(c.is_ascii_alphabetic() || *c == b'_'))
    {
        return 0;
    }
    b.iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count()
}

fn value_or_blank(
    name: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    unset: &mut Vec<String>,
) -> String {
    lookup(name).unwrap_or_else(|| {
        if !unset.iter().any(|n| n == name) {
            unset.push(name.to_string());
        }
        String::new()
    })
}

/// What is between `${` and `}`; `None` when it is no variable at all.
fn substitute(
    inner: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    unset: &mut Vec<String>,
) -> Option<Result<String, Problem>> {
    let len = name_len(inner);
    if len == 0 {
        return None;
    }
    let (name, op) = inner.split_at(len);
    let value = lookup(name);
    let (empty_counts, op) = match op.strip_prefix(':') {
        Some(o) => (true, o),
        None => (false, op),
    };
    let missing = value
        .as_deref()
        .is_none_or(|v| empty_counts && v.is_empty());
    Some(match op.chars().next() {
        None if !empty_counts => Ok(value_or_blank(name, lookup, unset)),
        Some('-') if missing => Ok(op[1..].to_string()),
        Some('-') => Ok(value.unwrap_or_default()),
        Some('?') if missing => Err(Problem::Required {
            name: name.to_string(),
            message: op[1..].to_string(),
        }),
        Some('?') => Ok(value.unwrap_or_default()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Result<String, Problem>, Vec<String>) {
        let lookup = |n: &str| match n {
            "SET" => Some("v".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let mut unset = Vec::new();
        let r = interpolate(text, &lookup, &mut unset);
        (r, unset)
    }

    fn ok(text: &str) -> String {
        run(text).0.unwrap()
    }

    #[test]
    fn each_form_reads_as_the_cli_reads_it() {
        assert_eq!(ok("a${SET}b$SET-c"), "avbv-c");
        assert_eq!(ok("${EMPTY:-d}|${EMPTY-d}|${NOPE-d}|${NOPE:-d}"), "d||d|d");
        assert_eq!(ok("${SET:-d}${SET-d}"), "vv");
        assert_eq!(ok("$$HOME $${SET} 100$$"), "$HOME ${SET} 100$");
        assert_eq!(ok("${SET?x}${EMPTY?x}"), "v");
        assert_eq!(ok("${NOPE:-a:b-c}"), "a:b-c", "a default is taken whole");
        assert_eq!(ok("no variables"), "no variables");
    }

    #[test]
    fn unset_variables_are_blank_and_said_once() {
        let (r, unset) = run("${NOPE}/$NOPE/${OTHER}");
        assert_eq!(r.unwrap(), "//");
        assert_eq!(unset, ["NOPE", "OTHER"]);
        let (_, unset) = run("${NOPE-x}");
        assert!(unset.is_empty(), "a default is no warning");
    }

    #[test]
    fn errors_name_the_variable_or_the_text() {
        assert_eq!(
            run("${NOPE?set it in .env}").0,
            Err(Problem::Required {
                name: "NOPE".into(),
                message: "set it in .env".into()
            })
        );
        assert!(matches!(
            run("${EMPTY:?}").0,
            Err(Problem::Required { name, .. }) if name == "EMPTY"
        ));
        for bad in ["$", "a $1", "${", "${}", "${SET", "${9X}", "${SET/x}"] {
            assert!(
                matches!(run(bad).0, Err(Problem::Invalid(_))),
                "{bad:?} read as valid"
            );
        }
    }
}
