//! Documents as PDF (the lease, invoices), from the same lines as their printable pages: A4,
//! DejaVu Sans embedded (krilla subsets it), headings in bold, text wrapped to the margins,
//! page numbers in the footer. Invoices are PDF/A-3b with their e-invoice XML attached.
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

static REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
/// 2 cm.
const MARGIN: f32 = 56.7;

/// The width of `text` at `size` points, from the font's advances (no kerning: a line wraps a
/// little early rather than late).
fn width(font: &ttf_parser::Face<'_>, size: f32, text: &str) -> f32 {
    let units: f32 = text
        .chars()
        .map(|c| {
            font.glyph_index(c)
                .and_then(|g| font.glyph_hor_advance(g))
                .map_or(0.0, f32::from)
        })
        .sum();
    units * size / f32::from(font.units_per_em())
}

/// Splits `text` into lines no wider than `max` points.
fn wrap(font: &ttf_parser::Face<'_>, size: f32, text: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(font, size, &candidate) > max {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn black() -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(0, 0, 0).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn rule(surface: &mut Surface<'_>, y: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(MARGIN, y);
    pb.line_to(PAGE_W - MARGIN, y);
    if let Some(path) = pb.finish() {
        // A stroke left set would outline the text that follows: set it for the rule only.
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width: 0.5,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
        surface.set_fill(Some(black()));
    }
}

/// A wrapped line: its size, weight, the space before it and its text.
type Laid = (f32, bool, f32, String);

/// Wraps the lines and cuts them into pages: as many lines as fit above the footer.
fn layout(lines: &[(u8, String)]) -> Result<Vec<Vec<Laid>>, String> {
    let face = ttf_parser::Face::parse(REGULAR, 0).map_err(|e| e.to_string())?;
    let bold_face = ttf_parser::Face::parse(BOLD, 0).map_err(|e| e.to_string())?;
    let mut laid: Vec<Laid> = Vec::new();
    for (level, text) in lines {
        let (size, is_bold, before) = match level {
            1 => (17.0, true, 0.0),
            2 => (12.5, true, 12.0),
            3 => (10.5, true, 6.0),
            _ => (10.0, false, 2.0),
        };
        let f = if is_bold { &bold_face } else { &face };
        for (i, l) in wrap(f, size, text, PAGE_W - 2.0 * MARGIN)
            .into_iter()
            .enumerate()
        {
            laid.push((size, is_bold, if i == 0 { before } else { 0.0 }, l));
        }
    }
    let mut pages: Vec<Vec<Laid>> = vec![Vec::new()];
    let mut y = MARGIN;
    for l in laid {
        let height = l.2 + l.0 * 1.35;
        if y + height > PAGE_H - MARGIN && pages.last().is_some_and(|p| !p.is_empty()) {
            pages.push(Vec::new());
            y = MARGIN;
        }
        y += height;
        if let Some(p) = pages.last_mut() {
            p.push(l);
        }
    }
    Ok(pages)
}

/// Renders `(level, text)` lines (1: title, 2: section, 3: sub-heading, 0: text) as a PDF.
/// `footer` is written on each page with its number, as "{footer} · 2/3".
pub fn render(
    title: &str,
    language: &str,
    lines: &[(u8, String)],
    footer: &str,
) -> Result<Vec<u8>, String> {
    let mut doc = Document::new_with(SerializeSettings::default());
    doc.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned()),
    );
    draw(&mut doc, lines, footer)?;
    doc.finish().map_err(|e| format!("{e:?}"))
}

/// A file carried inside an archival PDF.
pub struct Attachment {
    pub name: String,
    pub mime: &'static str,
    pub description: String,
    pub data: Vec<u8>,
}

/// As [`render`], but PDF/A-3b, dated `date` (the document's own date, so that the same
/// document gives the same file), with `attachment` embedded as the document's alternative
/// representation (Factur-X puts its XML there). krilla refuses to write anything PDF/A
/// forbids, and says why.
pub fn render_archival(
    title: &str,
    language: &str,
    lines: &[(u8, String)],
    footer: &str,
    date: chrono::NaiveDate,
    attachment: Attachment,
) -> Result<Vec<u8>, String> {
    use chrono::Datelike;
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|e| format!("{e:?}"))?;
    let settings = SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let when = DateTime::new(u16::try_from(date.year()).map_err(|e| e.to_string())?)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    doc.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned())
            .creation_date(when)
            .producer("Coopole".to_owned())
            .creator("Coopole".to_owned()),
    );
    doc.embed_file(EmbeddedFile {
        path: attachment.name,
        mime_type: MimeType::new(attachment.mime),
        description: Some(attachment.description),
        association_kind: AssociationKind::Alternative,
        data: attachment.data.into(),
        modification_date: Some(when),
        compress: None,
        location: None,
    })
    .ok_or("the attachment's name is taken")?;
    draw(&mut doc, lines, footer)?;
    doc.finish().map_err(|e| format!("{e:?}"))
}

/// Draws the lines on as many A4 pages as they need.
fn draw(doc: &mut Document, lines: &[(u8, String)], footer: &str) -> Result<(), String> {
    let regular = Font::new(REGULAR.into(), 0).ok_or("the regular font does not parse")?;
    let bold = Font::new(BOLD.into(), 0).ok_or("the bold font does not parse")?;
    let pages = layout(lines)?;
    let count = pages.len();
    for (n, page_lines) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or("no A4 page")?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_fill(Some(black()));
        let mut y = MARGIN;
        for (size, is_bold, before, text) in page_lines {
            y += before;
            let font = if is_bold {
                bold.clone()
            } else {
                regular.clone()
            };
            // The point is the baseline's start; DejaVu's ascent is about 0.93 em.
            surface.draw_text(
                Point::from_xy(MARGIN, y + size * 0.93),
                font,
                size,
                &text,
                false,
                TextDirection::Auto,
            );
            y += size * 1.35;
        }
        rule(&mut surface, PAGE_H - MARGIN + 8.0);
        let foot = format!("{footer} · {}/{count}", n + 1);
        surface.draw_text(
            Point::from_xy(MARGIN, PAGE_H - MARGIN + 22.0),
            regular.clone(),
            8.5,
            &foot,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_and_every_page_is_written() {
        let face = ttf_parser::Face::parse(REGULAR, 0).unwrap();
        let text = "Redevance mensuelle ".repeat(20);
        let lines = wrap(&face, 10.0, &text, 200.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| width(&face, 10.0, l) <= 200.0));
        let many: Vec<(u8, String)> = (0..120)
            .map(|i| (0, format!("Ligne n° {i} — éàç €")))
            .collect();
        // A short line takes 15.5 pt: 47 fit on an A4 page within 2 cm margins, so three pages.
        assert_eq!(layout(&many).unwrap().len(), 3);
        assert_eq!(layout(&many[..10]).unwrap().len(), 1);
        let pdf = render("Convention", "fr", &many, "Convention n° 1").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
