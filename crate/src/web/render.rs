//! Canvas drawing of a session: cells, the student's arrows at τ = 1, or at the distillation's
//! temperature when asked (length and strength grow with probability, stay = dot),
//! optionally the teacher's beside them, and the selected cell. It only reads the session.

use crate::env::{Cell, NUM_ACTIONS};
use crate::training::session::Session;
use serde::Deserialize;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Drawing options passed from JS.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct View {
    #[serde(default)]
    pub show_teacher: bool,
    #[serde(default)]
    pub selected: Option<(i64, i64)>,
    /// Draw the teacher's plan and the student's predicted plan from the selected cell.
    #[serde(default)]
    pub plans: bool,
    /// Shade cells by how many training records were logged there.
    #[serde(default)]
    pub heatmap: bool,
    /// Shade floor cells by the planner's state value V*(s) (low: light, high: teal).
    #[serde(default)]
    pub values: bool,
    /// Arrows at the distillation's temperature τ (the softened targets the loss compares) instead
    /// of τ = 1 (the moves teacher and student make).
    #[serde(default)]
    pub softened: bool,
}

// Okabe–Ito colour-blind-safe palette.
const FLOOR: &str = "#f2f2f2";
const WALL: &str = "#3b3b3b";
const LAVA: &str = "#d55e00";
const GOAL: &str = "#009e73";
const GRID_LINE: &str = "#c8c8c8";
const STUDENT: &str = "#0072b2";
const TEACHER: &str = "#e69f00";
const START: &str = "#cc79a7";
const SELECTED: &str = "#000000";

pub fn draw(session: &Session, canvas: &HtmlCanvasElement, view: &View) -> Result<(), String> {
    let context = canvas
        .get_context("2d")
        .map_err(|_| "could not get a 2d context".to_string())?
        .ok_or("the canvas has no 2d context")?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| "not a 2d context".to_string())?;
    let map = session.map();
    let n = map.size();
    let side = canvas.width().min(canvas.height()) as f64;
    let cell = side / n as f64;
    context.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    for y in 0..n {
        for x in 0..n {
            let colour = match map.cells()[map.index(x, y)] {
                Cell::Floor => FLOOR,
                Cell::Wall => WALL,
                Cell::Lava => LAVA,
                Cell::Goal => GOAL,
            };
            context.set_fill_style_str(colour);
            context.fill_rect(x as f64 * cell, y as f64 * cell, cell, cell);
        }
    }
    if view.values {
        // Min–max over the floor cells of the map shown, so the shading uses the whole scale.
        let values = session.current().table.oracle_values();
        let floor: Vec<usize> = session.decision_cells().to_vec();
        let (low, high) = floor.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &c| (lo.min(values[c]), hi.max(values[c])));
        let span = (high - low).max(1e-6);
        for &index in &floor {
            let (x, y) = map.position(index);
            let strength = 0.08 + 0.5 * ((values[index] - low) / span) as f64;
            context.set_fill_style_str(&format!("rgba(0, 158, 115, {strength:.3})"));
            context.fill_rect(x as f64 * cell, y as f64 * cell, cell, cell);
        }
    }
    if view.heatmap {
        let visits = session.visits();
        let most = visits.iter().copied().max().unwrap_or(0).max(1) as f64;
        for (index, &count) in visits.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let (x, y) = map.position(index);
            // Square-root scale so rarely visited cells still show.
            let strength = 0.15 + 0.6 * (count as f64 / most).sqrt();
            context.set_fill_style_str(&format!("rgba(86, 180, 233, {strength:.3})"));
            context.fill_rect(x as f64 * cell, y as f64 * cell, cell, cell);
        }
    }
    context.set_stroke_style_str(GRID_LINE);
    context.set_line_width(1.0);
    for i in 0..=n {
        let at = (i as f64 * cell).min(side - 0.5);
        line(&context, at, 0.0, at, side);
        line(&context, 0.0, at, side, at);
    }
    let (sx, sy) = map.start();
    context.set_stroke_style_str(START);
    context.set_line_width((cell * 0.08).max(2.0));
    context.stroke_rect(sx as f64 * cell + 2.0, sy as f64 * cell + 2.0, cell - 4.0, cell - 4.0);

    // Teacher and student at the same temperature (the page states it under the grid): τ = 1, the
    // moves each makes, unless the view asks for the softened targets the loss compares.
    let tau = if view.softened { session.settings().temperature } else { 1.0 };
    let student = session.student_probs_all_at(tau);
    let teacher = view.show_teacher.then(|| session.teacher_probs_all_at(tau));
    for &index in session.decision_cells() {
        let (x, y) = map.position(index);
        let centre_x = (x as f64 + 0.5) * cell;
        let centre_y = (y as f64 + 0.5) * cell;
        match &teacher {
            Some(teacher) => {
                // Side by side: teacher on the left half, student on the right half.
                arrows(&context, centre_x - cell * 0.22, centre_y, cell * 0.5, &teacher[index], TEACHER);
                arrows(&context, centre_x + cell * 0.22, centre_y, cell * 0.5, &student[index], STUDENT);
            }
            None => arrows(&context, centre_x, centre_y, cell, &student[index], STUDENT),
        }
    }
    if let (Some((x, y)), true) = (view.selected, view.plans) {
        if let Ok((teacher, student)) = session.plans(x, y) {
            let start = map.index(x as usize, y as usize);
            plan_path(&context, map, start, &teacher, cell, TEACHER, -0.12);
            // The student's plan head learns only when λ_plan > 0; untrained, its "plan" is noise.
            if session.settings().plan_weight > 0.0 {
                plan_path(&context, map, start, &student, cell, STUDENT, 0.12);
            }
        }
    }
    if let Some((x, y)) = view.selected {
        if x >= 0 && y >= 0 && (x as usize) < n && (y as usize) < n {
            context.set_stroke_style_str(SELECTED);
            context.set_line_width(3.0);
            context.stroke_rect(x as f64 * cell + 1.5, y as f64 * cell + 1.5, cell - 3.0, cell - 3.0);
        }
    }
    Ok(())
}

/// A path through the cells a plan visits (no slip), offset sideways so two plans stay apart.
fn plan_path(context: &CanvasRenderingContext2d, map: &crate::env::GridMap, start: usize, plan: &[usize], cell: f64, colour: &str, offset: f64) {
    context.set_stroke_style_str(colour);
    context.set_line_width((cell * 0.1).max(2.0));
    context.begin_path();
    let (x, y) = map.position(start);
    context.move_to((x as f64 + 0.5 + offset) * cell, (y as f64 + 0.5 + offset) * cell);
    let mut at = start;
    for &action in plan {
        at = map.move_from(at, crate::env::Action::from_index(action));
        let (x, y) = map.position(at);
        context.line_to((x as f64 + 0.5 + offset) * cell, (y as f64 + 0.5 + offset) * cell);
    }
    context.stroke();
}

fn line(context: &CanvasRenderingContext2d, x0: f64, y0: f64, x1: f64, y1: f64) {
    context.begin_path();
    context.move_to(x0, y0);
    context.line_to(x1, y1);
    context.stroke();
}

/// Four arrows from the centre and a dot for "stay". An arrow's length and its strength (opacity)
/// grow with its probability; its head is sized by the box, not by the probability, so the
/// direction reads at every size (a 180 px grid, a phone); arrows below 8% are left out.
fn arrows(context: &CanvasRenderingContext2d, cx: f64, cy: f64, box_side: f64, probs: &[f32; NUM_ACTIONS], colour: &str) {
    let reach = box_side * 0.44;
    context.set_stroke_style_str(colour);
    context.set_fill_style_str(colour);
    context.set_line_width((box_side * 0.07).max(2.0));
    context.set_line_cap("round");
    let directions = [(0.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)];
    for (a, (dx, dy)) in directions.iter().enumerate() {
        let p = probs[a].clamp(0.0, 1.0) as f64;
        if p < 0.08 {
            continue;
        }
        let length = reach * (0.3 + 0.7 * p);
        context.set_global_alpha(0.15 + 0.85 * p);
        let head = (box_side * 0.17 * (0.6 + 0.4 * p)).max(4.0).min(length * 0.75);
        let (tx, ty) = (cx + dx * length, cy + dy * length);
        line(context, cx, cy, tx - dx * head * 0.5, ty - dy * head * 0.5);
        context.begin_path();
        context.move_to(tx, ty);
        context.line_to(tx - dx * head - dy * head * 0.55, ty - dy * head - dx * head * 0.55);
        context.line_to(tx - dx * head + dy * head * 0.55, ty - dy * head + dx * head * 0.55);
        context.close_path();
        context.fill();
    }
    context.set_global_alpha(1.0);
    let radius = box_side * 0.12 * (probs[4].clamp(0.0, 1.0) as f64).sqrt();
    if radius > 0.3 {
        context.begin_path();
        let _ = context.arc(cx, cy, radius, 0.0, std::f64::consts::TAU);
        context.fill();
    }
}
