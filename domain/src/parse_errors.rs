//! Parser messages (serde, toml) put into Russian, so that a malformed profile or command
//! reads like every other error. Only the common shapes are translated; anything else is
//! kept as it is.

/// The Russian form of a serde/toml error message.
pub fn in_russian(message: &str) -> String {
    let message = message.trim();
    // serde_json ends with " at line L column C": keep it, in Russian.
    if let Some((core, place)) = message.rsplit_once(" at line ") {
        if let Some((line, column)) = place.split_once(" column ") {
            if line.chars().all(|c| c.is_ascii_digit())
                && column.chars().all(|c| c.is_ascii_digit())
            {
                return format!("{} (строка {line}, столбец {column})", translate(core));
            }
        }
    }
    translate(message)
}

fn translate(message: &str) -> String {
    let quoted = |text: &str| text.replace('`', "«");
    let names = |list: &str| {
        list.split(", ")
            .map(|n| n.trim_matches(|c| c == '`' || c == ' ').to_string())
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            let expected = tail
                .split_once("expected one of ")
                .map(|(_, list)| format!("; допустимые поля: {}", names(list)))
                .or_else(|| {
                    tail.split_once("expected ")
                        .map(|(_, one)| format!("; допустимое поле: {}", names(one)))
                })
                .unwrap_or_default();
            return format!("неизвестное поле «{field}»{expected}");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, tail)) = rest.split_once('`') {
            let expected = tail
                .split_once("expected one of ")
                .map(|(_, list)| format!("; допустимые значения: {}", names(list)))
                .or_else(|| {
                    tail.split_once("expected ")
                        .map(|(_, one)| format!("; допустимое значение: {}", names(one)))
                })
                .unwrap_or_default();
            return format!("неизвестное значение «{value}»{expected}");
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            return format!("нет обязательного поля «{field}»{}", tail);
        }
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("неверный тип значения: {}", quoted(rest));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return format!("неверное значение: {}", quoted(rest));
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        if let Some((field, tail)) = rest.split_once('`') {
            return format!("поле «{field}» указано дважды{tail}");
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::in_russian;

    #[test]
    fn common_parser_messages_read_in_russian() {
        assert_eq!(
            in_russian("unknown field `colour`, expected one of `name`, `title`"),
            "неизвестное поле «colour»; допустимые поля: name, title"
        );
        assert_eq!(
            in_russian("unknown variant `fly`, expected one of `head`, `curator`"),
            "неизвестное значение «fly»; допустимые значения: head, curator"
        );
        assert_eq!(
            in_russian("missing field `clause` at line 3 column 1"),
            "нет обязательного поля «clause» (строка 3, столбец 1)"
        );
        assert_eq!(in_russian("something else"), "something else");
    }
}
