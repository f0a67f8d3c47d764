//! Parquet copies of a population's CSV results (`boneaxis study --parquet`).
//!
//! The CSV files are the streaming, resumable store; at the end of a run each is converted to
//! Parquet in one pass, a row group per million rows, so memory stays bounded. Same seed, same
//! bytes: the rows come in subject order whatever the number of threads.

use crate::error::Error;
use parquet::basic::{ConvertedType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

const ROWS_PER_GROUP: usize = 1_000_000;

/// The physical type of a CSV column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Int64,
    Utf8,
    Double,
}

enum Values {
    Int64(Vec<i64>),
    Utf8(Vec<ByteArray>),
    Double(Vec<f64>),
}

fn err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn schema(names: &[&str], kinds: &[Column]) -> parquet::errors::Result<Type> {
    let fields = names
        .iter()
        .zip(kinds)
        .map(|(name, kind)| {
            let b = match kind {
                Column::Int64 => Type::primitive_type_builder(name, Physical::INT64),
                Column::Double => Type::primitive_type_builder(name, Physical::DOUBLE),
                Column::Utf8 => Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                    .with_converted_type(ConvertedType::UTF8),
            };
            b.with_repetition(Repetition::REQUIRED)
                .build()
                .map(Arc::new)
        })
        .collect::<parquet::errors::Result<Vec<_>>>()?;
    Type::group_type_builder("boneaxis")
        .with_fields(fields)
        .build()
}

/// Converts `csv` (header, then rows of `kinds`) into `out`.
pub fn convert(csv: &Path, out: &Path, kinds: impl Fn(usize) -> Column) -> Result<usize, Error> {
    let mut lines = BufReader::new(File::open(csv).map_err(|e| err(csv, e))?).lines();
    let header = lines
        .next()
        .ok_or_else(|| err(csv, "empty file"))?
        .map_err(|e| err(csv, e))?;
    let names: Vec<&str> = header.split(',').collect();
    let kinds: Vec<Column> = (0..names.len()).map(kinds).collect();
    let schema = Arc::new(schema(&names, &kinds).map_err(|e| err(out, e))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_created_by("boneaxis".into())
            .build(),
    );
    let file = File::create(out).map_err(|e| err(out, e))?;
    let mut writer = SerializedFileWriter::new(file, schema, props).map_err(|e| err(out, e))?;
    let fresh = || -> Vec<Values> {
        kinds
            .iter()
            .map(|k| match k {
                Column::Int64 => Values::Int64(Vec::new()),
                Column::Utf8 => Values::Utf8(Vec::new()),
                Column::Double => Values::Double(Vec::new()),
            })
            .collect()
    };
    let mut columns = fresh();
    let (mut rows, mut total) = (0usize, 0usize);
    for (i, line) in lines.enumerate() {
        let line = line.map_err(|e| err(csv, e))?;
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != kinds.len() {
            return Err(err(
                csv,
                format!(
                    "line {}: {} fields, expected {}",
                    i + 2,
                    fields.len(),
                    kinds.len()
                ),
            ));
        }
        for (c, f) in columns.iter_mut().zip(&fields) {
            let bad = || err(csv, format!("line {}: `{f}` is not a number", i + 2));
            match c {
                Values::Int64(v) => v.push(f.parse().map_err(|_| bad())?),
                Values::Double(v) => v.push(f.parse().map_err(|_| bad())?),
                Values::Utf8(v) => v.push(ByteArray::from(*f)),
            }
        }
        rows += 1;
        if rows == ROWS_PER_GROUP {
            write_group(&mut writer, &columns).map_err(|e| err(out, e))?;
            total += rows;
            rows = 0;
            columns = fresh();
        }
    }
    if rows > 0 {
        write_group(&mut writer, &columns).map_err(|e| err(out, e))?;
        total += rows;
    }
    writer.close().map_err(|e| err(out, e))?;
    Ok(total)
}

fn write_group(
    writer: &mut SerializedFileWriter<File>,
    columns: &[Values],
) -> parquet::errors::Result<()> {
    let mut group = writer.next_row_group()?;
    for values in columns {
        let mut col = group.next_column()?.expect("one writer per schema column");
        match values {
            Values::Int64(v) => {
                col.typed::<Int64Type>().write_batch(v, None, None)?;
            }
            Values::Double(v) => {
                col.typed::<DoubleType>().write_batch(v, None, None)?;
            }
            Values::Utf8(v) => {
                col.typed::<ByteArrayType>().write_batch(v, None, None)?;
            }
        }
        col.close()?;
    }
    group.close()?;
    Ok(())
}

/// Writes `results.parquet` and `subjects.parquet` next to the CSV files in `dir`.
pub fn write_dataset(dir: &Path) -> Result<(usize, usize), Error> {
    let results = convert(
        &dir.join("results.csv"),
        &dir.join("results.parquet"),
        |i| match i {
            0 => Column::Int64,
            2 | 5 => Column::Double,
            _ => Column::Utf8,
        },
    )?;
    let subjects = convert(
        &dir.join("subjects.csv"),
        &dir.join("subjects.parquet"),
        |i| match i {
            0 => Column::Int64,
            1 => Column::Utf8,
            _ => Column::Double,
        },
    )?;
    Ok((results, subjects))
}
