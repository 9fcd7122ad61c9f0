//! The shape every set of stable diagnostic codes has (the zone reader's,
//! the response readers'): an enum `Code` whose variants each carry their
//! stable text and a fixed [`Severity`](crate::zone::Severity).

/// Declares `pub enum Code` with `ALL`, `as_str`, `severity` and
/// `from_text`, from entries `Variant = "text", Error|Warning;`.
macro_rules! stable_codes {
    ($(#[$enum_doc:meta])* enum Code; $( $(#[$doc:meta])* $variant:ident = $text:literal, $sev:ident; )*) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable text of the code, as it appears in JSON output.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $text, )* }
            }

            /// The severity this code always has.
            pub const fn severity(self) -> $crate::zone::Severity {
                match self { $( Code::$variant => $crate::zone::Severity::$sev, )* }
            }

            /// Looks a code up by its stable text.
            pub fn from_text(text: &str) -> Option<Code> {
                match text { $( $text => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

pub(crate) use stable_codes;
