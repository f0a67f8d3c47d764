//! The scenarios shipped in `scenarios/`, embedded so that an installed binary, the Python
//! package and the web explorer need no repository to run them.

/// Names and TOML texts of the shipped scenarios, in the order they are listed to users.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "cms_mouse",
        include_str!("../../../../scenarios/cms_mouse.toml"),
    ),
    (
        "adult_mouse_fluoxetine",
        include_str!("../../../../scenarios/adult_mouse_fluoxetine.toml"),
    ),
    (
        "growing_mouse_fluoxetine",
        include_str!("../../../../scenarios/growing_mouse_fluoxetine.toml"),
    ),
    (
        "human_sertraline_10y",
        include_str!("../../../../scenarios/human_sertraline_10y.toml"),
    ),
    (
        "human_ssri_5y",
        include_str!("../../../../scenarios/human_ssri_5y.toml"),
    ),
    (
        "knockout_panel",
        include_str!("../../../../scenarios/knockout_panel.toml"),
    ),
    (
        "population_depression_ssri",
        include_str!("../../../../scenarios/population_depression_ssri.toml"),
    ),
    (
        "population_observational_ssri",
        include_str!("../../../../scenarios/population_observational_ssri.toml"),
    ),
];

/// The TOML text of a shipped scenario.
pub fn text(name: &str) -> Option<&'static str> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped scenario is listed, parses, and is named as its file.
    #[test]
    fn every_scenario_file_is_shipped_and_valid() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let p = e.unwrap().path();
                (p.extension()? == "toml").then(|| p.file_stem().unwrap().to_string_lossy().into())
            })
            .collect();
        on_disk.sort();
        let mut shipped: Vec<String> = SHIPPED.iter().map(|(n, _)| n.to_string()).collect();
        shipped.sort();
        assert_eq!(shipped, on_disk, "scenarios/ and SHIPPED differ");
        for (name, text) in SHIPPED {
            let study = super::super::load_str(text, name).unwrap();
            assert_eq!(&study.name, name);
        }
    }
}
