//! Pure rules of availability: the containment of a space's parts.
use std::collections::HashMap;

/// The spaces a booking of `space` actually takes: its parts, down to those that have none.
/// The whole hall takes both halves; a half takes itself.
pub fn leaf_spaces(space: i32, children: &HashMap<i32, Vec<i32>>) -> Vec<i32> {
    let mut out = Vec::new();
    let mut stack = vec![space];
    while let Some(s) = stack.pop() {
        match children.get(&s) {
            Some(parts) if !parts.is_empty() => stack.extend(parts),
            _ => out.push(s),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The leaves several spaces take together, each once (an event on the hall and a room).
pub fn leaves_of_all(spaces: &[i32], children: &HashMap<i32, Vec<i32>>) -> Vec<i32> {
    let mut leaves: Vec<i32> = spaces
        .iter()
        .flat_map(|s| leaf_spaces(*s, children))
        .collect();
    leaves.sort_unstable();
    leaves.dedup();
    leaves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hall_takes_both_halves_and_a_half_takes_itself() {
        let children = HashMap::from([(1, vec![2, 3])]);
        assert_eq!(leaf_spaces(1, &children), vec![2, 3]);
        assert_eq!(leaf_spaces(2, &children), vec![2]);
        assert_eq!(leaf_spaces(9, &children), vec![9]);
        // So the hall and a half always share a leaf: they cannot both be booked at once.
        let hall = leaf_spaces(1, &children);
        assert!(leaf_spaces(3, &children).iter().all(|l| hall.contains(l)));
    }

    #[test]
    fn several_spaces_take_each_leaf_once() {
        let children = HashMap::from([(1, vec![2, 3])]);
        assert_eq!(leaves_of_all(&[1, 3, 7], &children), vec![2, 3, 7]);
        assert!(leaves_of_all(&[], &children).is_empty());
    }
}
