//! The macro behind the string tables: one enum variant per message, both languages
//! required at the definition site.

/// Declares a string table enum `$name` whose variants each carry a zh and an en text.
#[macro_export]
macro_rules! text_table {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $( $key:ident => ($zh:expr, $en:expr) ),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $( $key ),* }

        impl $name {
            /// The text in `lang`.
            pub fn get(self, lang: $crate::Lang) -> &'static str {
                match self {
                    $( $name::$key => lang.pick($zh, $en) ),*
                }
            }

            /// Both languages, for texts that must follow a language switch later.
            pub fn bi(self) -> $crate::Bi {
                $crate::Bi::new(self.get($crate::Lang::Zh), self.get($crate::Lang::En))
            }

            /// Both languages with `{}` placeholders filled in order.
            pub fn bi_fill(self, args: &[&dyn std::fmt::Display]) -> $crate::Bi {
                $crate::Bi::new(
                    self.fill($crate::Lang::Zh, args),
                    self.fill($crate::Lang::En, args),
                )
            }

            /// The text in `lang` with `{}` placeholders filled in order.
            pub fn fill(self, lang: $crate::Lang, args: &[&dyn std::fmt::Display]) -> String {
                $crate::fill(self.get(lang), args)
            }
        }
    };
}
