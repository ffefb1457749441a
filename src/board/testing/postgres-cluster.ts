// The tests' view of the throwaway cluster; it lives under postgres/ because the bench uses it too.
export {
  findPostgresBinaries,
  PostgresBinariesMissingError,
  startThrowawayCluster,
  type ThrowawayCluster,
} from './throwaway-cluster.ts';
