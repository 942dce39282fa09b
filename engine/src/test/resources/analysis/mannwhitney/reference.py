# Recomputes reference.csv from the *.baseline.txt / *.canary.txt pairs (run here: python3 reference.py).
# p_no_continuity / p_continuity: scipy.stats.mannwhitneyu(baseline, canary, alternative='two-sided',
#   method='asymptotic', use_continuity=False / True); SciPy corrects the variance for ties.
# p_no_tie_correction: the same normal approximation without tie correction, written out with SciPy's
#   rankdata and norm: what commons-math3's MannWhitneyUTest computes.
import glob, numpy as np, scipy
from scipy.stats import mannwhitneyu, rankdata, norm

rows = []
for path in sorted(glob.glob("*.baseline.txt")):
    name = path[: -len(".baseline.txt")]
    base = np.loadtxt(path)
    can = np.loadtxt(name + ".canary.txt")
    p0 = mannwhitneyu(base, can, alternative="two-sided", method="asymptotic", use_continuity=False).pvalue
    p1 = mannwhitneyu(base, can, alternative="two-sided", method="asymptotic", use_continuity=True).pvalue
    n1, n2 = len(base), len(can)
    ranks = rankdata(np.concatenate([base, can]))
    u1 = ranks[:n1].sum() - n1 * (n1 + 1) / 2
    umin = min(u1, n1 * n2 - u1)
    z = (umin - n1 * n2 / 2) / np.sqrt(n1 * n2 * (n1 + n2 + 1) / 12)
    p2 = min(1.0, 2 * norm.cdf(z))
    ties = len(np.unique(np.concatenate([base, can]))) < n1 + n2
    rows.append(f"{name},{float(p0)!r},{float(p1)!r},{float(p2)!r},{str(ties).lower()}")

with open("reference.csv", "w") as out:
    out.write(f"# Mann-Whitney U reference p-values, SciPy {scipy.__version__}; see reference.py for the calls.\n")
    out.write("case,p_no_continuity,p_continuity,p_no_tie_correction,ties\n")
    out.write("\n".join(rows) + "\n")
