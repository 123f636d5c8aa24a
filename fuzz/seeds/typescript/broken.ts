class { constructor( @ export { from
