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
            pub fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                match self {
                    $( $name::$key => lang.pick($zh, $en) ),*
                }
            }

            /// Both languages, for texts that must follow a language switch later.
            pub fn bi(self) -> $crate::i18n::Bi {
                $crate::i18n::Bi::new(self.get($crate::i18n::Lang::Zh), self.get($crate::i18n::Lang::En))
            }

            /// Both languages with `{}` placeholders filled in order.
            pub fn bi_fill(self, args: &[&dyn std::fmt::Display]) -> $crate::i18n::Bi {
                $crate::i18n::Bi::new(
                    self.fill($crate::i18n::Lang::Zh, args),
                    self.fill($crate::i18n::Lang::En, args),
                )
            }

            /// The text in `lang` with `{}` placeholders filled in order.
            pub fn fill(self, lang: $crate::i18n::Lang, args: &[&dyn std::fmt::Display]) -> String {
                $crate::i18n::fill(self.get(lang), args)
            }
        }
    };
}
