//! The report's figures, as SVG text (plotters' SVG backend: no fonts are loaded, text is
//! left to the browser).
//!
//! - [`map_family`]: a case study's map for several noise values, its regions and constants;
//! - [`paving`]: the leaf boxes of a two-variable claim's proof, coloured by method;
//! - [`cobweb`], [`entry_histogram`], [`loss_along`]: a simulation against the proven bounds.

use super::model::{method_name, MapFigure, SimulationSection};
use crate::claim::Claim;
use crate::prover::{exact, Branch, Method, Outcome, ProofNode};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use rug::Rational;

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

const FONT: &str = "sans-serif";
/// Leaf boxes drawn at most in one paving panel (beyond it the SVG would be unreadable).
const MAX_LEAVES: usize = 20_000;

/// A chart on `area`: a title, the axes with their descriptions, no grid.
fn chart<'a, 'b, X, Y>(
    area: &'a Area<'b>,
    title: &str,
    (x, y): (X, Y),
    (x_desc, y_desc): (&str, &str),
) -> Result<Chart<'a, 'b, X, Y>, Box<dyn std::error::Error>>
where
    X: AsRangedCoord,
    Y: AsRangedCoord,
    X::CoordDescType: ValueFormatter<X::Value>,
    Y::CoordDescType: ValueFormatter<Y::Value>,
{
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 17))
        .margin(12)
        .x_label_area_size(38)
        .y_label_area_size(58)
        .build_cartesian_2d(x, y)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(chart)
}

type Chart<'a, 'b, X, Y> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// Draws into an SVG of `size` pixels and returns its text.
fn svg(size: (u32, u32), draw: impl FnOnce(&Area) -> Drawn) -> crate::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Into::into));
        drawn.map_err(|e| crate::Error::Internal(format!("cannot draw a figure: {e}")))?;
    }
    Ok(out)
}

fn blend(i: usize, n: usize) -> RGBColor {
    let t = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    let c = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(c(30.0, 200.0), c(80.0, 40.0), c(200.0, 40.0))
}

/// The shade of the `i`-th band.
fn band_colour(i: usize) -> RGBColor {
    const SHADES: [RGBColor; 4] = [
        RGBColor(255, 236, 179),
        RGBColor(200, 230, 201),
        RGBColor(255, 204, 188),
        RGBColor(187, 222, 251),
    ];
    SHADES[i % SHADES.len()]
}

/// A family of curves over `[0, x_max]` with the bands shaded along the x axis, the marks on
/// both axes, and the diagonal.
pub fn map_family(f: &MapFigure) -> crate::Result<String> {
    let (x_max, y_max) = (f.x_max, f.y_max);
    svg((760, 560), |root| {
        let mut chart = chart(
            root,
            &f.title,
            (0f64..x_max, 0f64..y_max),
            (f.x_label.as_str(), f.y_label.as_str()),
        )?;
        for (i, (name, lo, hi)) in f.bands.iter().enumerate() {
            let shade = band_colour(i).mix(0.6).filled();
            chart.draw_series([Rectangle::new([(*lo, 0.0), (*hi, y_max)], shade)])?;
            // A narrow band's label goes a line lower, clear of its neighbour's.
            let narrow = hi - lo < x_max * 0.05;
            let at = (
                lo + x_max * 0.0032,
                y_max * if narrow { 0.93 } else { 0.97 },
            );
            chart.draw_series([Text::new(name.clone(), at, (FONT, 14))])?;
        }
        for &m in &f.marks {
            let grey = RGBColor(120, 120, 120);
            chart.draw_series(LineSeries::new([(m, 0.0), (m, y_max)], grey))?;
            chart.draw_series(LineSeries::new([(0.0, m), (x_max, m)], grey))?;
            let at = (x_max * 0.008, m + y_max * 0.027);
            chart.draw_series([Text::new(format!("{m}"), at, (FONT, 13))])?;
        }
        let diagonal = x_max.min(y_max);
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (diagonal, diagonal)], BLACK))?
            .label("y = x")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK));
        for (i, (label, points)) in f.curves.iter().enumerate() {
            let colour = blend(i, f.curves.len());
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
                .label(label.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], colour.stroke_width(2))
                });
        }
        // Below the diagonal right of a third of the axis: room for the legend.
        legend(&mut chart, SeriesLabelPosition::Coordinate(235, 318))
    })
}

fn legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    at: SeriesLabelPosition,
) -> Drawn {
    chart
        .configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FONT, 13))
        .draw()
        .map_err(|e| e.to_string().into())
}

/// A leaf of a proof tree as a box of the two box coordinates. Under a monotonicity pin the
/// box is the one the pin was applied to (the argument covers all of it) and `face` is the
/// face (an edge or a vertex) where the leaf's method closed it.
struct LeafBox {
    x: (f64, f64),
    y: (f64, f64),
    face: Option<[(f64, f64); 2]>,
    method: Method,
}

impl LeafBox {
    /// The legend entry: the method, and whether it closed a monotone face.
    fn kind(&self) -> (String, bool) {
        (method_name(self.method), self.face.is_some())
    }
}

/// Collects the leaves of `node` on the box `bx` (`face`: where a pin put the argument).
fn leaves(
    node: &ProofNode,
    bx: [(f64, f64); 2],
    face: Option<[(f64, f64); 2]>,
    out: &mut Vec<LeafBox>,
) {
    match node {
        ProofNode::Leaf(leaf) => out.push(LeafBox {
            x: bx[0],
            y: bx[1],
            face,
            method: leaf.method,
        }),
        ProofNode::Branch(Branch::Split { axis, at }, kids) if *axis < 2 => {
            let (mut lo, mut hi) = (bx, bx);
            lo[*axis].1 = *at;
            hi[*axis].0 = *at;
            let cut = |b: [(f64, f64); 2]| face.map(|f| [clip(f[0], b[0]), clip(f[1], b[1])]);
            for (kid, b) in kids.iter().zip([lo, hi]) {
                leaves(kid, b, cut(b), out);
            }
        }
        ProofNode::Branch(Branch::Pin { pins, .. }, kids) => {
            let mut f = face.unwrap_or(bx);
            for &(axis, upper) in pins.iter().filter(|(a, _)| *a < 2) {
                let end = if upper { f[axis].1 } else { f[axis].0 };
                f[axis] = (end, end);
            }
            kids.iter().for_each(|k| leaves(k, bx, Some(f), out));
        }
        ProofNode::Branch(_, _) => {}
    }
}

/// The part of `a` inside `b` (a point stays itself).
fn clip(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0.max(b.0).min(a.1), a.1.min(b.1).max(a.0))
}

/// The box coordinates of a two-variable claim: `(name, lo, hi)` per axis, as the prover
/// sets them up (`docs/certificates.md`): a binding with exact constant ends keeps them, any
/// other becomes `t_NAME ∈ [0, 1]`.
fn axes(claim: &Claim) -> Vec<(String, f64, f64)> {
    let value = |e: &crate::expr::Expr| {
        e.is_constant()
            .then(|| exact::eval_rational(e, &[]).ok())
            .flatten()
    };
    claim
        .bindings
        .iter()
        .map(|b| match (value(&b.lo), value(&b.hi)) {
            (Some(lo), Some(hi)) => (b.name.clone(), lo.to_f64(), hi.to_f64()),
            _ => (format!("t_{}", b.name), 0.0, Rational::from(1).to_f64()),
        })
        .collect()
}

fn method_colour(m: Method) -> RGBColor {
    match m {
        Method::Pruned => RGBColor(189, 189, 189),
        Method::Interval => RGBColor(129, 199, 132),
        Method::MeanValue => RGBColor(100, 181, 246),
        Method::Bernstein => RGBColor(255, 183, 77),
        Method::Rational => RGBColor(240, 98, 146),
        Method::SProcedure => RGBColor(149, 117, 205),
        Method::Convex => RGBColor(77, 208, 225),
        Method::ExactPoint => RGBColor(229, 57, 53),
        Method::Sos => RGBColor(255, 241, 118),
        Method::Tangent => RGBColor(174, 213, 129),
        Method::Taylor => RGBColor(129, 199, 132),
    }
}

/// The paving of a proved two-variable claim: one panel per conclusion, each leaf box
/// coloured by the method that closed it. `None` for other claims.
pub fn paving(claim: &Claim, outcome: &Outcome) -> Option<crate::Result<String>> {
    if claim.bindings.len() != 2 || outcome.proofs().is_empty() {
        return None;
    }
    let axes = axes(claim);
    let root = [(axes[0].1, axes[0].2), (axes[1].1, axes[1].2)];
    let panels: Vec<(String, Vec<LeafBox>)> = outcome
        .proofs()
        .iter()
        .zip(&claim.goals)
        .map(|(tree, goal)| {
            let mut out = Vec::new();
            leaves(tree, root, None, &mut out);
            (goal.text.clone(), out)
        })
        .collect();
    let width = 420 * panels.len() as u32 + 40;
    Some(svg((width, 460), |area| {
        let title = format!("{}: leaf boxes by closing method", claim.name);
        let area = area.titled(&title, (FONT, 18))?;
        let cells = area.split_evenly((1, panels.len()));
        for (cell, (goal, boxes)) in cells.iter().zip(&panels) {
            paving_panel(cell, &axes, goal, boxes)?;
        }
        Ok(())
    }))
}

fn paving_panel(area: &Area, axes: &[(String, f64, f64)], goal: &str, boxes: &[LeafBox]) -> Drawn {
    let (x, y) = (&axes[0], &axes[1]);
    let mut chart = chart(
        area,
        goal,
        (x.1..x.2, y.1..y.2),
        (x.0.as_str(), y.0.as_str()),
    )?;
    let mut kinds: Vec<(String, bool)> = boxes.iter().map(LeafBox::kind).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mine: Vec<&LeafBox> = boxes
            .iter()
            .filter(|b| b.kind() == kind)
            .take(MAX_LEAVES)
            .collect();
        let colour = method_colour(mine[0].method);
        let fill = if kind.1 {
            colour.mix(0.35)
        } else {
            colour.mix(0.85)
        };
        let shapes = mine.iter().flat_map(|b| {
            let corners = [(b.x.0, b.y.0), (b.x.1, b.y.1)];
            let outline = Rectangle::new(corners, BLACK.mix(0.5).stroke_width(1));
            [Rectangle::new(corners, fill.filled()), outline]
        });
        let label = match kind.1 {
            true => format!("{} on a monotone face", kind.0),
            false => kind.0.clone(),
        };
        chart
            .draw_series(shapes)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], fill.filled()));
        let faces = mine.iter().filter_map(|b| b.face).map(|f| {
            PathElement::new([(f[0].0, f[1].0), (f[0].1, f[1].1)], colour.stroke_width(4))
        });
        chart.draw_series(faces)?;
        let vertices = mine
            .iter()
            .filter_map(|b| b.face)
            .filter(|f| f[0].0 == f[0].1 && f[1].0 == f[1].1);
        chart.draw_series(vertices.map(|f| Circle::new((f[0].0, f[1].0), 5, colour.filled())))?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// The cobweb of one sample trajectory: `u_{t+1}` against `u_t` over the map at `γ_min`
/// and `γ_max`.
pub fn cobweb(sim: &SimulationSection, index: usize) -> crate::Result<String> {
    let sample = &sim.samples[index];
    let top = sim.state_max;
    svg((560, 520), |root| {
        let title = format!("cobweb, sample trajectory {}", index + 1);
        let mut chart = chart(root, &title, (0f64..top, 0f64..top), ("u_t", "u_{t+1}"))?;
        chart.draw_series(LineSeries::new([(0.0, 0.0), (top, top)], BLACK))?;
        for (i, (g, points)) in sim.curves.iter().enumerate() {
            let colour = blend(i, sim.curves.len());
            chart
                .draw_series(LineSeries::new(points.clone(), colour))?
                .label(format!("the map, γ = {g:.4}"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour));
        }
        let mut path = Vec::with_capacity(2 * sample.len());
        for w in sample.windows(2) {
            let (u, next) = (w[0].1, w[1].1);
            path.extend([(u, u), (u, next)]);
        }
        if let Some(last) = sample.last() {
            path.push((last.1, last.1));
        }
        chart
            .draw_series(LineSeries::new(path, RGBColor(0, 110, 60).stroke_width(1)))?
            .label("trajectory")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], RGBColor(0, 110, 60)));
        legend(&mut chart, SeriesLabelPosition::LowerRight)
    })
}

/// Entry times as a histogram, the proven bound as a vertical red line.
pub fn entry_histogram(sim: &SimulationSection) -> crate::Result<String> {
    let bins = &sim.entry_histogram;
    let max_t = bins.iter().map(|b| b.1).max().unwrap_or(0);
    let top_t = max_t.max(sim.proven_entry_bound.unwrap_or(0)) + 1;
    let peak = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1);
    svg((640, 400), |root| {
        let mut chart = chart(
            root,
            "entry time into the 2-cycle",
            (0f64..top_t as f64, 0f64..peak as f64 * 1.1),
            ("steps", "trajectories"),
        )?;
        let bars = bins.iter().filter(|b| b.2 > 0).map(|&(from, to, c)| {
            let (a, b) = (from as f64, to as f64);
            Rectangle::new(
                [(a, 0.0), (a + 0.9 * (b - a), c as f64)],
                BLUE.mix(0.6).filled(),
            )
        });
        chart
            .draw_series(bars)?
            .label("simulated")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BLUE.mix(0.6).filled()));
        if let Some(b) = sim.proven_entry_bound {
            let line = [(b as f64, 0.0), (b as f64, peak as f64 * 1.1)];
            chart
                .draw_series(LineSeries::new(line, RED.stroke_width(2)))?
                .label(format!("proven bound: {b} steps"))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], RED.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// The loss along the sample trajectories (log scale), with the proven band on the 2-cycle.
pub fn loss_along(sim: &SimulationSection) -> crate::Result<String> {
    const FLOOR: f64 = 1e-6;
    let steps = sim
        .sample_losses
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let (lo, hi) = sim.loss_band_proven;
    svg((760, 420), |root| {
        let mut chart = chart(
            root,
            &format!("loss {} along trajectories", sim.loss_label),
            (0f64..steps, (FLOOR..1.0).log_scale()),
            ("t", "loss (log scale)"),
        )?;
        let band = Rectangle::new(
            [(0.0, lo.max(FLOOR)), (steps, hi)],
            GREEN.mix(0.15).filled(),
        );
        chart
            .draw_series([band])?
            .label(format!("proven band ({lo:.3e}, {hi:.4})"))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 14, y + 5)], GREEN.mix(0.3).filled())
            });
        for (i, losses) in sim.sample_losses.iter().enumerate() {
            let colour = blend(i, sim.sample_losses.len());
            let loss = losses
                .iter()
                .enumerate()
                .map(|(t, &l)| (t as f64, l.max(FLOOR)));
            chart
                .draw_series(LineSeries::new(loss, colour))?
                .label(format!("sample {}", i + 1))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    })
}

/// One panel of a network run's curves against the step: `value(run)` gives each run's
/// points; one line per run, labelled by `label(run)`; a log scale for losses.
pub fn net_curves(
    title: &str,
    y_desc: &str,
    runs: &[crate::simulate::nets::NetRun],
    value: impl Fn(&crate::simulate::nets::Curves) -> &Vec<f64>,
    log: bool,
) -> crate::Result<String> {
    const FLOOR: f64 = 1e-12;
    let steps = runs
        .iter()
        .filter_map(|r| r.curves.step.last())
        .max()
        .copied()
        .unwrap_or(1)
        .max(1) as f64;
    let finite = || {
        runs.iter()
            .flat_map(|r| value(&r.curves))
            .filter(|v| v.is_finite())
    };
    let hi = finite().fold(f64::MIN, |a, &b| a.max(b));
    let lo = finite().fold(f64::MAX, |a, &b| a.min(b));
    let line = |r: &crate::simulate::nets::NetRun, floor: f64| -> Vec<(f64, f64)> {
        r.curves
            .step
            .iter()
            .zip(value(&r.curves))
            .filter(|(_, v)| v.is_finite())
            .map(|(s, v)| (*s as f64, v.max(floor)))
            .collect()
    };
    let label = |r: &crate::simulate::nets::NetRun| {
        let note = if r.diverged { ", diverged" } else { "" };
        format!("{} η = {}{note}", r.method, r.eta)
    };
    svg((760, 420), |root| {
        if log {
            let (lo, hi) = (lo.max(FLOOR), hi.max(FLOOR * 10.0) * 2.0);
            let mut chart = chart(
                root,
                title,
                (0f64..steps, (lo..hi).log_scale()),
                ("step", y_desc),
            )?;
            for (i, r) in runs.iter().enumerate() {
                let colour = blend(i, runs.len());
                chart
                    .draw_series(LineSeries::new(line(r, lo), colour))?
                    .label(label(r))
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour));
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)
        } else {
            let hi = if hi > 0.0 { hi * 1.05 } else { 1.0 };
            let mut chart = chart(root, title, (0f64..steps, 0f64..hi), ("step", y_desc))?;
            for (i, r) in runs.iter().enumerate() {
                let colour = blend(i, runs.len());
                chart
                    .draw_series(LineSeries::new(line(r, f64::MIN), colour))?
                    .label(label(r))
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], colour));
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)
        }
    })
}
