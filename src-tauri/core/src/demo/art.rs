//! Product pictures for the demo shop, drawn as small SVG files: a kraft coffee bag with a
//! label in the roast colour, a tea tin, a piece of brewing gear, a plate, a gift box. They are
//! generated, so the demo ships no binary blobs, and every product still gets its own picture.

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motif {
    CoffeeBag,
    TeaTin,
    Gear,
    Plate,
    Cup,
    GiftBox,
}

/// Colours and text for one picture.
#[derive(Debug, Clone)]
pub struct Art<'a> {
    pub motif: Motif,
    /// Main colour (label, tin, food), `#rrggbb`.
    pub colour: &'a str,
    /// Second colour (accent band, ribbon), `#rrggbb`.
    pub accent: &'a str,
    /// Up to two short lines printed on the label.
    pub label: [&'a str; 2],
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders the picture as a 240×240 SVG document.
pub fn svg(a: &Art<'_>) -> String {
    let (c, x) = (a.colour, a.accent);
    let body = match a.motif {
        Motif::CoffeeBag => format!(
            r##"<path d="M66 52 L174 52 L184 214 Q120 224 56 214 Z" fill="#c8a77a"/>
<path d="M66 52 L174 52 L170 70 L70 70 Z" fill="#b08d5f"/>
<rect x="74" y="96" width="92" height="82" rx="6" fill="{c}"/>
<rect x="74" y="164" width="92" height="14" fill="{x}"/>
<circle cx="120" cy="84" r="6" fill="#6b4f2f"/>"##
        ),
        Motif::TeaTin => format!(
            r##"<rect x="70" y="60" width="100" height="150" rx="10" fill="{c}"/>
<rect x="64" y="48" width="112" height="24" rx="6" fill="{x}"/>
<rect x="78" y="100" width="84" height="70" rx="4" fill="#fbf6ee"/>"##
        ),
        Motif::Gear => format!(
            r##"<path d="M64 70 L176 70 L136 150 L104 150 Z" fill="{c}"/>
<rect x="96" y="150" width="48" height="12" rx="3" fill="{x}"/>
<rect x="70" y="168" width="100" height="46" rx="8" fill="#e8e2d9" stroke="{x}" stroke-width="3"/>
<path d="M176 80 Q200 86 186 110" stroke="{c}" stroke-width="8" fill="none"/>"##
        ),
        Motif::Plate => format!(
            r##"<ellipse cx="120" cy="150" rx="96" ry="52" fill="#f4f1ec" stroke="#d9d2c7" stroke-width="3"/>
<ellipse cx="120" cy="140" rx="62" ry="30" fill="{c}"/>
<ellipse cx="104" cy="130" rx="20" ry="8" fill="{x}"/>"##
        ),
        Motif::Cup => format!(
            r##"<path d="M72 96 L168 96 L156 200 Q120 212 84 200 Z" fill="{c}"/>
<rect x="66" y="84" width="108" height="16" rx="6" fill="{x}"/>
<path d="M100 70 Q110 56 100 42 M128 70 Q138 56 128 42" stroke="#b9aea0" stroke-width="4" fill="none"/>"##
        ),
        Motif::GiftBox => format!(
            r##"<rect x="60" y="100" width="120" height="110" rx="6" fill="{c}"/>
<rect x="52" y="84" width="136" height="26" rx="5" fill="{c}"/>
<rect x="112" y="84" width="16" height="126" fill="{x}"/>
<path d="M120 84 Q92 52 84 74 Q90 86 120 84 Q150 52 156 74 Q150 86 120 84" fill="{x}"/>"##
        ),
    };
    let label_y = match a.motif {
        Motif::CoffeeBag => 126,
        Motif::TeaTin => 130,
        _ => 232,
    };
    let ink = match a.motif {
        Motif::CoffeeBag => "#fffaf2",
        _ => "#3b2f25",
    };
    let size = match a.motif {
        Motif::CoffeeBag | Motif::TeaTin => 13,
        _ => 15,
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 240" width="240" height="240">
<rect width="240" height="240" fill="#f7f3ed"/>
{body}
<text x="120" y="{label_y}" font-family="sans-serif" font-size="{size}" font-weight="700" fill="{ink}" text-anchor="middle">{l0}</text>
<text x="120" y="{y2}" font-family="sans-serif" font-size="{s2}" fill="{ink}" text-anchor="middle">{l1}</text>
</svg>
"##,
        l0 = esc(a.label[0]),
        l1 = esc(a.label[1]),
        y2 = label_y + size + 4,
        s2 = size - 2,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_so_the_picture_stays_valid_xml() {
        let s = svg(&Art {
            motif: Motif::CoffeeBag,
            colour: "#000000",
            accent: "#ffffff",
            label: ["Koffie & <taart>", "\"1 kg\""],
        });
        assert!(
            s.contains("Koffie &amp; &lt;taart&gt;"),
            "ampersand and brackets escaped"
        );
        assert!(!s.contains("<taart>"), "no raw tag from a label");
        assert!(s.starts_with("<svg") && s.trim_end().ends_with("</svg>"));
    }
}
