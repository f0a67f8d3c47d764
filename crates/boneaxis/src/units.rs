//! Canonical units and the conversions made at the edges (catalog, scenario files, outputs).
//!
//! Inside the model every quantity is a plain `f64` in the canonical unit of its dimension:
//!
//! | dimension | canonical unit |
//! |---|---|
//! | time | day |
//! | rate | 1/day |
//! | molar concentration | nM |
//! | inverse concentration (association constant) | 1/nM |
//! | concentration rate | nM/day |
//! | mass (dose) | mg |
//! | dose per body mass | mg/kg |
//! | dose rate per body mass | mg/kg/day |
//! | body mass | kg |
//! | volume | L |
//! | volume per body mass | L/kg |
//! | molar mass | g/mol |
//! | areal density (DXA BMD) | g/cm² |
//! | mass concentration (drug plasma levels) | ng/mL |
//! | dimensionless | 1 (fractions, not %) |
//!
//! Units are parsed from the short strings users type (`"1/day"`, `"pM"`, `"4 weeks"`); an
//! unknown unit or a unit of the wrong dimension is a load error, never a silent default.

use std::fmt;

/// A physical dimension; each has exactly one canonical unit (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Dimensionless,
    Time,
    Rate,
    Concentration,
    InverseConcentration,
    ConcentrationRate,
    Mass,
    DosePerBodyMass,
    DoseRatePerBodyMass,
    BodyMass,
    Volume,
    VolumePerBodyMass,
    MolarMass,
    ArealDensity,
    MassConcentration,
}

impl Dimension {
    /// The canonical unit's symbol.
    pub fn canonical_symbol(self) -> &'static str {
        match self {
            Dimension::Dimensionless => "1",
            Dimension::Time => "day",
            Dimension::Rate => "1/day",
            Dimension::Concentration => "nM",
            Dimension::InverseConcentration => "1/nM",
            Dimension::ConcentrationRate => "nM/day",
            Dimension::Mass => "mg",
            Dimension::DosePerBodyMass => "mg/kg",
            Dimension::DoseRatePerBodyMass => "mg/kg/day",
            Dimension::BodyMass => "kg",
            Dimension::Volume => "L",
            Dimension::VolumePerBodyMass => "L/kg",
            Dimension::MolarMass => "g/mol",
            Dimension::ArealDensity => "g/cm^2",
            Dimension::MassConcentration => "ng/mL",
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Dimension::Dimensionless => "dimensionless",
            Dimension::Time => "time",
            Dimension::Rate => "rate",
            Dimension::Concentration => "molar concentration",
            Dimension::InverseConcentration => "inverse concentration",
            Dimension::ConcentrationRate => "concentration rate",
            Dimension::Mass => "mass",
            Dimension::DosePerBodyMass => "dose per body mass",
            Dimension::DoseRatePerBodyMass => "dose rate per body mass",
            Dimension::BodyMass => "body mass",
            Dimension::Volume => "volume",
            Dimension::VolumePerBodyMass => "volume per body mass",
            Dimension::MolarMass => "molar mass",
            Dimension::ArealDensity => "areal density",
            Dimension::MassConcentration => "mass concentration",
        };
        write!(f, "{name} (canonical {})", self.canonical_symbol())
    }
}

/// A parsed unit: its dimension and the factor that converts a value to the canonical unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    pub dimension: Dimension,
    pub factor: f64,
}

const DAYS_PER_YEAR: f64 = 365.25;
const DAYS_PER_MONTH: f64 = DAYS_PER_YEAR / 12.0;

impl Unit {
    /// Parses a unit symbol. Spaces are ignored, `µ` and `u` both mean micro, `^2` and `²` match.
    pub fn parse(symbol: &str) -> Result<Unit, String> {
        let s: String = symbol
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .replace('µ', "u")
            .replace('²', "^2")
            .replace('·', "*");
        use Dimension as D;
        let (dimension, factor) = match s.as_str() {
            "1" | "-" | "fraction" | "ratio" | "pM/pM" | "nM/nM" => (D::Dimensionless, 1.0),
            "%" | "percent" => (D::Dimensionless, 0.01),
            "s" | "second" | "seconds" => (D::Time, 1.0 / 86_400.0),
            "min" | "minute" | "minutes" => (D::Time, 1.0 / 1440.0),
            "h" | "hour" | "hours" => (D::Time, 1.0 / 24.0),
            "d" | "day" | "days" => (D::Time, 1.0),
            "wk" | "week" | "weeks" => (D::Time, 7.0),
            "month" | "months" => (D::Time, DAYS_PER_MONTH),
            "y" | "yr" | "year" | "years" => (D::Time, DAYS_PER_YEAR),
            "1/h" | "1/hour" | "/h" => (D::Rate, 24.0),
            "1/d" | "1/day" | "/day" | "/d" => (D::Rate, 1.0),
            "1/week" | "/week" => (D::Rate, 1.0 / 7.0),
            "1/year" | "/year" | "1/y" => (D::Rate, 1.0 / DAYS_PER_YEAR),
            "%/year" | "%/y" => (D::Rate, 0.01 / DAYS_PER_YEAR),
            "%/day" => (D::Rate, 0.01),
            "pM" => (D::Concentration, 1e-3),
            "nM" | "nmol/L" => (D::Concentration, 1.0),
            "uM" | "umol/L" => (D::Concentration, 1e3),
            "mM" => (D::Concentration, 1e6),
            "1/pM" => (D::InverseConcentration, 1e3),
            "1/nM" => (D::InverseConcentration, 1.0),
            "pM/day" => (D::ConcentrationRate, 1e-3),
            "nM/day" => (D::ConcentrationRate, 1.0),
            "ug" => (D::Mass, 1e-3),
            "mg" => (D::Mass, 1.0),
            "g" => (D::Mass, 1e3),
            "mg/kg" => (D::DosePerBodyMass, 1.0),
            "ug/kg" => (D::DosePerBodyMass, 1e-3),
            "mg/kg/day" | "mg/kg/d" => (D::DoseRatePerBodyMass, 1.0),
            "kg" => (D::BodyMass, 1.0),
            "L" | "l" => (D::Volume, 1.0),
            "mL" | "ml" => (D::Volume, 1e-3),
            "L/kg" => (D::VolumePerBodyMass, 1.0),
            "mL/kg" => (D::VolumePerBodyMass, 1e-3),
            "g/mol" | "Da" => (D::MolarMass, 1.0),
            "g/cm^2" | "g/cm2" => (D::ArealDensity, 1.0),
            "mg/cm^2" => (D::ArealDensity, 1e-3),
            "ng/mL" | "ug/L" => (D::MassConcentration, 1.0),
            "mg/L" | "ug/mL" => (D::MassConcentration, 1e3),
            _ => return Err(format!("unknown unit `{symbol}`")),
        };
        Ok(Unit { dimension, factor })
    }

    /// Parses a unit and checks its dimension.
    pub fn parse_as(symbol: &str, expected: Dimension) -> Result<Unit, String> {
        let unit = Unit::parse(symbol)?;
        if unit.dimension != expected {
            return Err(format!(
                "unit `{symbol}` is a {}, expected a {expected}",
                unit.dimension
            ));
        }
        Ok(unit)
    }

    pub fn to_canonical(&self, value: f64) -> f64 {
        value * self.factor
    }

    pub fn from_canonical(&self, value: f64) -> f64 {
        value / self.factor
    }
}

/// A value with its unit as typed by a user, e.g. `"4 weeks"` or `"20 mg/kg"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
}

impl Quantity {
    /// Parses `"<number> <unit>"`; the space is optional (`"4weeks"`).
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let text = text.trim();
        let split = text
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit()
                    || c == '.'
                    || c == '-'
                    || c == '+'
                    || ((c == 'e' || c == 'E')
                        && i > 0
                        && text[i + c.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(|n| n.is_ascii_digit() || n == '-' || n == '+')))
            })
            .map(|(i, _)| i)
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let value: f64 = number
            .parse()
            .map_err(|_| format!("expected a quantity like \"4 weeks\", got \"{text}\""))?;
        if !value.is_finite() {
            return Err(format!("quantity \"{text}\" is not a finite number"));
        }
        let unit = unit.trim();
        if unit.is_empty() {
            return Err(format!(
                "quantity \"{text}\" has no unit (e.g. \"{value} days\")"
            ));
        }
        Ok(Quantity {
            value,
            unit: Unit::parse(unit)?,
        })
    }

    /// Parses and checks the dimension; returns the value in canonical units.
    pub fn parse_canonical(text: &str, expected: Dimension) -> Result<f64, String> {
        let q = Quantity::parse(text)?;
        if q.unit.dimension != expected {
            return Err(format!(
                "\"{text}\" is a {}, expected a {expected}",
                q.unit.dimension
            ));
        }
        let value = q.canonical();
        if !value.is_finite() {
            return Err(format!("\"{text}\" is too large"));
        }
        Ok(value)
    }

    pub fn canonical(&self) -> f64 {
        self.unit.to_canonical(self.value)
    }
}

/// Days per year used for every age and duration conversion.
pub const fn days_per_year() -> f64 {
    DAYS_PER_YEAR
}

/// Formats a duration in days in the unit a reader expects for its size.
pub fn human_duration(days: f64) -> String {
    if days >= 2.0 * DAYS_PER_YEAR {
        let years = format!("{:.3}", days / DAYS_PER_YEAR);
        format!(
            "{} years",
            years.trim_end_matches('0').trim_end_matches('.')
        )
    } else if days >= 14.0 && (days / 7.0).fract().abs() < 1e-9 {
        format!("{} weeks", days / 7.0)
    } else {
        format!("{days} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quantities_with_and_without_space() {
        let q = Quantity::parse("4 weeks").unwrap();
        assert_eq!(q.canonical(), 28.0);
        assert_eq!(Quantity::parse("12h").unwrap().canonical(), 0.5);
        assert_eq!(Quantity::parse("1e-3 nM").unwrap().canonical(), 1e-3);
        assert_eq!(Quantity::parse("-2 days").unwrap().canonical(), -2.0);
    }

    #[test]
    fn rejects_unknown_units_and_missing_units() {
        assert!(Quantity::parse("4 fortnights")
            .unwrap_err()
            .contains("unknown unit"));
        assert!(Quantity::parse("4").unwrap_err().contains("no unit"));
        assert!(Quantity::parse("four weeks").is_err());
    }

    #[test]
    fn checks_dimensions() {
        let err = Quantity::parse_canonical("20 mg/kg", Dimension::Time).unwrap_err();
        assert!(err.contains("expected a time"), "{err}");
        assert!(Unit::parse_as("pM", Dimension::Concentration).is_ok());
    }

    #[test]
    fn conversions_round_trip() {
        for symbol in ["pM", "uM", "1/h", "%/year", "mg/L", "week"] {
            let unit = Unit::parse(symbol).unwrap();
            let v = 3.7;
            let back = unit.from_canonical(unit.to_canonical(v));
            assert!((back - v).abs() <= 1e-12 * v, "{symbol}: {back} vs {v}");
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(28.0), "4 weeks");
        assert_eq!(human_duration(5.0 * 365.25), "5 years");
        assert_eq!(human_duration(3.0), "3 days");
    }
}
