/*
 * test_fit.c: causa_scm_fit (src/scm/fit*.c): coefficients against numpy and statsmodels,
 * the choice of family by cross-validation, discrete nodes, the residual check, the errors
 * for a graph that does not match the data, and out-of-memory paths.
 *
 * Reference numbers below were computed once with numpy 1.24.2 and statsmodels 0.13.5
 * (Debian 12's python3-numpy and python3-statsmodels) by this script (comment markers in
 * its strings are written "/ *" and "* /" here); the data are its draws, printed with 17
 * digits:
 *
 *   import numpy as np, statsmodels.api as sm
 *   rng = np.random.default_rng(20240611)
 *   def carr(name, a):
 *       return "static const double %s[%d] = {%s};" % (name, len(a), ", ".join("%.17g" % v for v in a))
 *   # linear: y = 1.5 + 2 x1 - 0.7 x2 + 0.5 e
 *   n = 40
 *   x1 = rng.normal(size=n); x2 = rng.normal(size=n) + 0.3 * x1
 *   y = 1.5 + 2.0 * x1 - 0.7 * x2 + 0.5 * rng.normal(size=n)
 *   A = np.column_stack([np.ones(n), x1, x2])
 *   b, res, rank, sv = np.linalg.lstsq(A, y, rcond=None)
 *   r = y - A @ b
 *   print(carr("lin_x1", x1)); print(carr("lin_x2", x2)); print(carr("lin_y", y))
 *   print("/ * numpy.linalg.lstsq: intercept, w1, w2 * /")
 *   print(carr("lin_coef", b))
 *   print("/ * residual sd sqrt(RSS / (n - 3)) * /")
 *   print("static const double lin_sd = %.17g;" % np.sqrt(r @ r / (n - 3)))
 *   # poly2: y = 0.5 + x1 - 2 x2 + 0.8 x1^2 - 0.6 x1 x2 + 0.3 x2^2 + 0.2 e
 *   yq = 0.5 + x1 - 2*x2 + 0.8*x1**2 - 0.6*x1*x2 + 0.3*x2**2 + 0.2*rng.normal(size=n)
 *   Aq = np.column_stack([np.ones(n), x1, x2, x1**2, x1*x2, x2**2])
 *   bq = np.linalg.lstsq(Aq, yq, rcond=None)[0]
 *   print(carr("quad_y", yq))
 *   print("/ * numpy.linalg.lstsq on [1, x1, x2, x1^2, x1 x2, x2^2] * /")
 *   print(carr("quad_coef", bq))
 *   # multinomial logistic, 3 levels
 *   m = 120
 *   z1 = rng.normal(size=m); z2 = rng.normal(size=m)
 *   eta = np.column_stack([np.zeros(m), 0.3 + 1.2*z1 - 0.5*z2, -0.4 - 0.8*z1 + 1.1*z2])
 *   p = np.exp(eta); p /= p.sum(1, keepdims=True)
 *   yl = np.array([rng.choice(3, p=pi) for pi in p])
 *   fit = sm.MNLogit(yl, sm.add_constant(np.column_stack([z1, z2]))).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
 *   print(carr("mlog_z1", z1)); print(carr("mlog_z2", z2)); print(carr("mlog_y", yl.astype(float)))
 *   print("/ * statsmodels MNLogit(...).fit(method='newton'): rows level 1, 2; (const, z1, z2) * /")
 *   print(carr("mlog_coef", fit.params.T.ravel()))
 *   print("static const double mlog_llf = %.17g;" % fit.llf)
 *   # binary logistic
 *   yb = (rng.uniform(size=m) < 1/(1+np.exp(-(-0.2 + 1.5*z1 + 0.7*z2)))).astype(float)
 *   fb = sm.Logit(yb, sm.add_constant(np.column_stack([z1, z2]))).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
 *   print(carr("blog_y", yb))
 *   print("/ * statsmodels Logit(...).fit(method='newton'): const, z1, z2 * /")
 *   print(carr("blog_coef", fb.params))
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* ---- reference data and results (see the script above) ---- */
static const double lin_x1[40] = {-0.21118912055729136, -0.51773347098452549, 0.14959583696246229, -1.7898968436779759, 0.28445225356918419, -0.32169560648369011, -0.72605032444930195, 0.098537275131296675, -1.9514738484064804, -0.15841288562715672, -0.73128486538044479, 0.40969535789355127, 0.44244173776631784, -0.92786269077022909, -0.93316795277184994, -1.4700371639889616, -0.78768929408678934, 0.31941439201629979, 0.85727036612476737, 0.22879972296310866, 0.034799252655156078, -0.86744711044345668, 0.19577021284431775, -0.81568953152567014, 0.23962888489868106, -0.20259332624012352, 0.85601810348543272, 0.20247035255397891, 1.3688252896097017, -0.40821444747159008, 0.75594508244663228, 0.22516072407457527, 1.6965558201068938, -1.9620539547190585, 0.87425829518133136, -1.0236516100709405, -0.86864673897500544, -0.018363115062379937, -1.5105593611064696, -1.1945810265785586};
static const double lin_x2[40] = {-0.56889861108644213, -0.47780387292235338, -1.8588001770010367, -1.4106002913407525, -0.060577890835478279, -0.2284362667157292, -0.88012325455720619, 0.025472393433092114, -1.098816581607728, 1.1259749125417862, -1.0285206416220449, 0.18201240616704462, -0.3568624849503903, 0.57620364590001727, -1.2514988974004275, 0.43559148366835027, -1.4316085812257011, -1.2711725795166571, -0.29128846377293632, 0.16076677316012303, -1.5105838375334213, -0.76442358856655135, 0.054760598143976838, -0.28026451335366537, 0.94745460201626397, 0.72349553691348367, 0.58963667913824613, 0.97417414081762688, 1.3503737948510708, -1.2316267055336723, 2.4120456037903768, 0.018621234521913339, -0.096975649218427273, 0.011533135280924478, -0.22629966303897237, 0.3200615491066387, -1.4619928988122097, 0.71984953585696576, -1.7170414547003314, 0.017358252159201226};
static const double lin_y[40] = {1.3692382562350354, 0.54825428445786517, 3.1768885245074974, -1.3800276828575193, 1.7253375576406349, 1.2139674124525521, 1.6295890530114874, 1.1803654371755321, -1.0561924315601161, 0.93577063692181806, 0.19735459919880916, 2.287099334150958, 2.8967067631908874, -1.2144959656521646, 1.0493222072423722, -1.3060334714965676, 1.7759662666402574, 3.2235668003773488, 3.8914578851037307, 2.7511209670877106, 2.7285024675364973, 0.050090896180145283, 1.1277508465959007, 0.20803349701818086, 0.68243127979596441, 1.1372131510768217, 2.8728730610327302, 1.6285474398172295, 3.3737456814490971, 2.1648754789129154, 1.095280903698447, 1.9623204453154459, 5.6610520729311995, -3.0613366202299557, 3.5031899696649726, -0.28371759956455261, 0.25433485667942413, 0.60951961706239688, -0.9441452036474014, -0.31093490168906546};
/* numpy.linalg.lstsq: intercept, w1, w2 */
static const double lin_coef[3] = {1.5944210327915376, 2.0721472847898932, -0.74821077380891587};
/* residual sd sqrt(RSS / (n - 3)) */
static const double lin_sd = 0.48797168849185202;
static const double quad_y[40] = {1.4494194459373406, 1.0093460211779088, 5.3059731928917211, 2.963571239124339, 1.1670847982481931, 0.65163689871647312, 1.7247149559119499, 0.71242839752620069, 2.6872176831610988, -1.080244285377991, 2.0460070194365536, 0.54253891838835389, 1.8926771990094098, -0.4636724119314819, 2.6758651403320597, 0.18894352278054002, 2.8453392341639474, 4.1793938657950669, 2.7708490458284407, 0.61028046940116942, 4.1776844556752577, 1.7342188075052629, 0.40739853310777235, 0.94067382422521872, -1.1946785210208337, -0.88902304081590255, 0.6034748275083941, -0.84408910426444828, 0.39705468325794885, 2.8516070161657634, -2.0804900665370427, 0.56215941797861302, 4.8601016394461922, 1.5608413118335978, 2.6868750910925145, -0.28854541403150002, 2.8186631116960124, -0.53777407563862611, 3.7900148670789848, 0.53707707410820338};
/* numpy.linalg.lstsq on [1, x1, x2, x1^2, x1 x2, x2^2] */
static const double quad_coef[6] = {0.53416255345549191, 1.0292218361243046, -1.9167048583398885, 0.782131764121065, -0.53697619107597849, 0.29762502566491289};
static const double mlog_z1[120] = {-0.70221286483113021, 0.59207093673672517, 0.44715755163459925, 1.233463002510945, 0.23291628084796767, -1.6145190785357719, -0.21626000057556494, -0.027445090253328065, 0.79220514999846647, -0.24777281185006933, -1.0582170477267128, 1.1503918988461059, 0.38559892110251298, -1.0974238644553607, -0.66383904694314744, 0.91914558846126115, -1.3493675504328448, 0.96797600191946054, 0.022872029582339172, -0.15221941895025928, 0.86608622861775697, -0.42415673418334754, 0.05577984128625503, 1.6350017254802929, -0.84487029639025191, 1.8216851175501481, -1.6861164261567418, -0.85644764310249721, 0.9009172850167928, -0.66284369945126165, -0.31833519712646619, 0.78958191493040275, 0.95780537163065538, 0.49003261762081796, -0.54133857460619772, 0.62826677829115929, 0.15386473052703528, 1.1791813981571897, 0.38987011754980094, -0.79592861199423326, -0.12538861553305775, -1.5523210846844009, 0.62926467802311359, 0.44703823672933091, 0.018769946434862173, -1.3455809447893392, -0.38893067579372054, 0.68220242388851626, -0.18430308846802088, 0.12010392825599683, 1.1451759055115893, 0.63348144832101894, -1.5987440216266622, 0.36664372663918865, -0.93586100995707255, -2.224898799501235, 1.1599732627456971, -1.4855979833528146, -0.31553986195829725, 1.2489709000243121, 0.70301848338355832, -0.062049360408464566, -0.88786197053237292, 0.2961226469452628, -0.068270546956130287, 0.8214052379813731, 0.3882476766366309, 0.72912099002817155, -1.5036159537660332, -0.85906361244122376, 0.15970875822132391, 0.36888195597042578, -0.62425402572623589, -0.70182031497931663, -0.027076745823721857, 0.12492334143804794, 1.9640224680002618, -0.38394972343995287, 0.53746410512007758, -1.7128285074415992, -0.10039957815337086, -0.32124156177765695, -1.2884422140339447, -0.97061077335307344, -0.64534425445118704, -0.78194987698874974, -1.8978734842594804, -0.32371034455099806, -0.098926379669398254, -0.30615162011884162, 0.81433857808870491, -0.17103626392813376, 0.099282574563393622, -0.035901675736895011, 0.11688604904624468, -1.059698555864337, -0.28704239066016546, 1.7920603835063502, 0.32636757990664628, -0.16389169423044558, -0.45005920295810453, 0.37837017111910248, 0.0056722097936349183, 0.21630585450979514, 0.8751591100876378, 0.14438793930994201, -0.090122815057378611, -0.6137381354673066, -1.3258723666881693, 0.42674050173112682, 0.35812544804125718, -0.65984404212994519, -0.55861699365978157, -1.093405474806862, -0.9894196144989964, -0.34797888206642452, -0.060120427501264881, 0.87321740756656863, 0.56133039964352671, -0.54578054454929881};
static const double mlog_z2[120] = {0.80975282387420744, -1.9486359745985573, -0.39298691040359268, 0.4826859939822945, 1.4741208618445958, -1.6445230276621392, -1.2079064814818765, -0.49914055698080229, -1.5713257032487187, -0.047451870766387932, 0.25963026908314096, -0.2690300925532661, -0.88378563110055974, 1.8751841695015485, 1.5750578559633508, 0.30466826012892989, 1.4664767952041904, -0.79312736990005983, -1.3299786745392952, 0.25262467493712804, 1.803245001202149, -0.22840994675754611, 0.7539653386670736, 1.2587701061125052, 0.044464664470407617, 0.84101332125943273, -0.66080604418480715, 1.2900759480879924, 0.42109296809531144, 0.067502726404196703, -0.62975657518708672, -2.8555211668904388, 0.31886377073338268, 0.0029582766718437635, -0.11615256718213419, -0.39725480618262765, 1.8845818284840155, -0.086727747623312035, -0.081638581173656868, -0.0034375463199796223, -1.0720781510380688, -0.53641970016239038, -0.34425995847746044, 0.31676391007690052, 0.59828642318222824, -0.75530402800986651, 1.0568181132060246, -2.3900877811963137, 1.5139097918565758, 0.65826626055899606, 0.82627397734125752, 0.13927932541063118, 0.41358168965548353, 0.33126124412819669, -0.34728200171793183, -0.90872399132656856, 0.41866222757340515, 0.26962987516127529, -0.67257167781221006, 0.058685028083558737, -0.72664220774649935, 2.3947215051605681, 0.54701738445426829, 0.64580871630902459, 0.91255938279384663, -3.5084732679040829, 0.032456076989399348, 1.1215297727237434, -1.1096130780920053, 0.36417763096559341, 0.60386074578790783, -1.2374280130274939, 3.1155919161387233, 0.10892534380567484, -0.032092885461309083, 0.072673857253801613, 1.3135712455368123, 2.63143076833554, -0.41121650086945954, -1.7617278939526926, 0.6595552929773163, 0.27860957084420734, 1.3606142490201205, -1.3654307091803608, -0.28774779290728508, 0.034168168276333837, -0.18983380707780298, -0.35231560894404995, -0.46557503031938507, 1.6873356952220906, -0.33340840106181951, 1.1717630787439162, -0.10271425189337355, 0.6517067711143697, 1.1903453942827016, 0.54805489755178627, -2.1434986293662597, -1.1362043593384192, -0.65813765125961576, 0.62516937492020275, -0.82149863602360151, -0.95555388369368721, 1.3227569195784437, 2.1311133325935536, -1.0386135448356755, -0.28046377850947524, 0.074134569721915095, -1.1550182575302286, -0.52313032639478707, -1.6988151851793836, 0.38178417117152469, -0.28894854106347201, -1.3744064760492356, -2.2668010429896075, 1.2188191129164312, -0.015656240361372562, -2.3249052238154513, 0.04970061712145258, 2.1458166725145875, -0.058306450869551829};
static const double mlog_y[120] = {2, 1, 1, 0, 0, 2, 1, 1, 1, 0, 0, 1, 1, 2, 2, 1, 2, 1, 0, 2, 1, 0, 2, 1, 0, 1, 0, 2, 1, 0, 1, 1, 2, 0, 2, 1, 2, 0, 1, 1, 1, 0, 1, 1, 0, 1, 2, 1, 2, 1, 1, 0, 2, 1, 1, 2, 2, 2, 2, 1, 0, 2, 2, 1, 2, 1, 0, 1, 2, 1, 2, 1, 2, 2, 1, 0, 1, 0, 0, 0, 1, 1, 0, 2, 2, 2, 0, 1, 1, 2, 1, 2, 1, 2, 1, 2, 0, 1, 1, 2, 2, 1, 2, 2, 1, 1, 1, 0, 1, 1, 2, 0, 1, 1, 0, 1, 1, 2, 2, 1};
/* statsmodels MNLogit(...).fit(method='newton'): rows level 1, 2; (const, z1, z2) */
static const double mlog_coef[6] = {0.65529736009243367, 1.1126992853107587, -0.52415568789348466, 0.013913048315223282, -0.42028934507414067, 0.77328182345610341};
static const double mlog_llf = -101.94116062460739;
static const double blog_y[120] = {0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 1};
/* statsmodels Logit(...).fit(method='newton'): const, z1, z2 */
static const double blog_coef[3] = {-0.26129149036034921, 2.085205853736054, 1.2512137879768062};

/* ---- helpers ---- */

/* A continuous data set from columns (n rows each). */
static causa_dataset *make_data(int64_t n, int64_t p, const double *const *cols, const char *const *names) {
    causa_dataset *ds = NULL;
    CHECK_OK(causa_dataset_new(T, n, p, &ds));
    if (!ds) return NULL;
    double *x = causa_dataset_data_mut(ds);
    for (int64_t j = 0; j < p; j++) {
        memcpy(x + j * n, cols[j], (size_t)n * sizeof *x);
        CHECK_OK(causa_dataset_set_name(T, ds, j, names[j]));
    }
    return ds;
}

/* A DAG over names from "A>B" items. */
static causa_graph *make_dag(int64_t p, const char *const *names, const char *const *edges, int ne) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_new(T, p, names, &g));
    for (int e = 0; e < ne; e++) {
        char a[32], b[32];
        const char *gt = strchr(edges[e], '>');
        snprintf(a, sizeof a, "%.*s", (int)(gt - edges[e]), edges[e]);
        snprintf(b, sizeof b, "%s", gt + 1);
        CHECK_OK(causa_graph_add_edge(T, g, causa_graph_find(g, a), causa_graph_find(g, b), CAUSA_MARK_TAIL,
                                      CAUSA_MARK_ARROW));
    }
    return g;
}

/* ---- least squares against numpy ---- */

TEST(fit_linear_matches_numpy_lstsq) {
    const double *cols[] = {lin_x1, lin_x2, lin_y};
    const char *names[] = {"x1", "x2", "y"};
    const char *edges[] = {"x1>y", "x2>y", "x1>x2"};
    causa_dataset *ds = make_data(40, 3, cols, names);
    causa_graph *g = make_dag(3, names, edges, 3);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_LINEAR;
    o.folds = 0;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &scm, &r));
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 2, &m));
    CHECK_INT(m.kind, CAUSA_MECH_LINEAR);
    CHECK_INT(m.ncoefs, 2);
    CHECK_REL(m.intercept, lin_coef[0], 1e-12);
    CHECK_REL(m.coefs[0], lin_coef[1], 1e-12);
    CHECK_REL(m.coefs[1], lin_coef[2], 1e-12);
    CHECK_INT(m.noise.kind, CAUSA_DIST_GAUSSIAN);
    CHECK_REL(m.noise.scale, lin_sd, 1e-12);
    causa_fit_node nd;
    CHECK_OK(causa_fit_report_node(r, 2, &nd));
    CHECK_INT(nd.family, CAUSA_FIT_LINEAR);
    CHECK_INT(nd.ncoefs, 3);
    CHECK(nd.r2 > 0.9 && nd.r2 < 1.0);
    CHECK(isnan(nd.cv_error));
    /* The root is Gaussian with the column's mean and sd. */
    CHECK_OK(causa_scm_mechanism(scm, 0, &m));
    CHECK_INT(m.kind, CAUSA_MECH_ROOT);
    CHECK_INT(m.noise.kind, CAUSA_DIST_GAUSSIAN);
    /* The model predicts what the fit saw: f(u) = y - residual. */
    double pred[40];
    CHECK_OK(causa_scm_predict(T, scm, 2, ds, pred));
    for (int i = 0; i < 40; i++)
        CHECK_ABS(pred[i], lin_coef[0] + lin_coef[1] * lin_x1[i] + lin_coef[2] * lin_x2[i], 1e-12);
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

TEST(fit_poly2_matches_numpy_lstsq) {
    const double *cols[] = {lin_x1, lin_x2, quad_y};
    const char *names[] = {"x1", "x2", "y"};
    const char *edges[] = {"x1>y", "x2>y"};
    causa_dataset *ds = make_data(40, 3, cols, names);
    causa_graph *g = make_dag(3, names, edges, 2);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_POLY2;
    o.folds = 0;
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &scm, NULL));
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 2, &m));
    CHECK_INT(m.kind, CAUSA_MECH_POLY);
    CHECK_INT(m.degree, 2);
    CHECK_INT(m.ncoefs, 5);
    CHECK_REL(m.intercept, quad_coef[0], 1e-10);
    for (int j = 0; j < 5; j++) CHECK_REL(m.coefs[j], quad_coef[j + 1], 1e-10);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

/* ---- logistic regression against statsmodels ---- */

static void logistic_case(const double *y, int64_t K, const double *want, double llf) {
    const double *cols[] = {mlog_z1, mlog_z2, y};
    const char *names[] = {"z1", "z2", "c"};
    const char *edges[] = {"z1>c", "z2>c"};
    causa_dataset *ds = make_data(120, 3, cols, names);
    const char *lv[] = {"a", "b", "c"};
    CHECK_OK(causa_dataset_set_discrete(T, ds, 2, K, lv));
    causa_graph *g = make_dag(3, names, edges, 2);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_LOGISTIC;
    o.logistic_ridge = 0.0; /* maximum likelihood, as statsmodels */
    o.folds = 0;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &scm, &r));
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 2, &m));
    CHECK_INT(m.kind, CAUSA_MECH_LOGISTIC);
    CHECK_INT(m.ncoefs, K * 3);
    for (int j = 0; j < 3; j++) CHECK_ABS(m.coefs[j], 0.0, 0.0); /* level 0: reference */
    for (int j = 0; j < (K - 1) * 3; j++) CHECK_REL(m.coefs[3 + j], want[j], 1e-7);
    causa_fit_node nd;
    CHECK_OK(causa_fit_report_node(r, 2, &nd));
    CHECK_REL(nd.logloss * 120.0, -llf, 1e-10);
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

TEST(fit_multinomial_logistic_matches_statsmodels) { logistic_case(mlog_y, 3, mlog_coef, mlog_llf); }

TEST(fit_binary_logistic_matches_statsmodels) {
    /* Log-likelihood of statsmodels' Logit fit, recomputed from its coefficients. */
    double llf = 0.0;
    for (int i = 0; i < 120; i++) {
        double eta = blog_coef[0] + blog_coef[1] * mlog_z1[i] + blog_coef[2] * mlog_z2[i];
        llf += blog_y[i] > 0 ? -log1p(exp(-eta)) : -log1p(exp(eta));
    }
    logistic_case(blog_y, 2, blog_coef, llf);
}

/* ---- auto: the true family wins ---- */

TEST(fit_auto_picks_the_true_family) {
    enum { N = 2000 };
    static double x[N], a[N], b[N], c[N], d[N];
    causa_rng rng;
    causa_rng_init(&rng, 77, 0);
    for (int i = 0; i < N; i++) {
        x[i] = causa_rng_normal(&rng);
        a[i] = 1.0 + 2.0 * x[i] + 0.5 * causa_rng_normal(&rng);                 /* linear */
        b[i] = 1.0 + x[i] - 1.5 * x[i] * x[i] + 0.5 * causa_rng_normal(&rng);  /* quadratic */
        c[i] = 2.0 * sin(2.0 * x[i]) + 0.3 * causa_rng_normal(&rng);            /* spline-ish */
        d[i] = 0.5 * a[i] - 0.3 * x[i] + 0.4 * causa_rng_normal(&rng);         /* linear, 2 parents */
    }
    const double *cols[] = {x, a, b, c, d};
    const char *names[] = {"x", "a", "b", "c", "d"};
    const char *edges[] = {"x>a", "x>b", "x>c", "x>d", "a>d"};
    causa_dataset *ds = make_data(N, 5, cols, names);
    causa_graph *g = make_dag(5, names, edges, 5);
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, NULL, &scm, &r));
    causa_fit_node nd;
    static const int want[] = {CAUSA_FIT_ROOT, CAUSA_FIT_LINEAR, CAUSA_FIT_POLY2, CAUSA_FIT_SPLINE, CAUSA_FIT_LINEAR};
    for (int v = 0; v < 5; v++) {
        CHECK_OK(causa_fit_report_node(r, v, &nd));
        if (nd.family != want[v])
            fprintf(stderr, "node %s: got %s, want %s\n", names[v], causa_fit_family_name(nd.family),
                    causa_fit_family_name(want[v]));
        CHECK_INT(nd.family, want[v]);
    }
    /* The linear family's CV error of a is about the noise variance 0.25. */
    CHECK_OK(causa_fit_report_node(r, 1, &nd));
    CHECK_ABS(nd.cv_error, 0.25, 0.03);
    CHECK(nd.check_pvalue > 0.001);
    /* The linear fit of the sine is poor; the spline's CV error is near 0.09. */
    CHECK_OK(causa_fit_report_node(r, 3, &nd));
    CHECK(nd.cv[CAUSA_FIT_LINEAR] > 3 * nd.cv[CAUSA_FIT_SPLINE]);
    CHECK_ABS(nd.cv[CAUSA_FIT_SPLINE], 0.09, 0.02);
    char *text = NULL;
    CHECK_OK(causa_fit_report_text(T, r, 0, 0, &text, NULL));
    CHECK_CONTAINS(text, "spline");
    CHECK_CONTAINS(text, "HSIC p");
    causa_free(T, text);
    CHECK_OK(causa_fit_report_text(T, r, 1, 0, &text, NULL));
    CHECK_CONTAINS(text, "\"family\": \"poly2\"");
    causa_free(T, text);
    /* The same seed gives the same report (folds and check rows are keyed). */
    causa_scm *scm2 = NULL;
    causa_fit_report *r2 = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, NULL, &scm2, &r2));
    for (int v = 0; v < 5; v++) {
        causa_fit_node n1, n2;
        causa_fit_report_node(r, v, &n1);
        causa_fit_report_node(r2, v, &n2);
        CHECK(memcmp(n1.cv, n2.cv, sizeof n1.cv) == 0);
        CHECK(n1.check_pvalue == n2.check_pvalue || (isnan(n1.check_pvalue) && isnan(n2.check_pvalue)));
    }
    causa_fit_report_free(r2);
    causa_scm_free(scm2);
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

TEST(fit_residual_check_flags_a_misfit) {
    /* Heteroscedastic noise: y = x + (0.2 + |x|) e. Linear in the mean, but the residual's
     * spread depends on x: HSIC sees it. */
    enum { N = 800 };
    static double x[N], y[N];
    causa_rng rng;
    causa_rng_init(&rng, 5, 0);
    for (int i = 0; i < N; i++) {
        x[i] = causa_rng_normal(&rng);
        y[i] = x[i] + (0.2 + fabs(x[i])) * causa_rng_normal(&rng);
    }
    const double *cols[] = {x, y};
    const char *names[] = {"x", "y"};
    const char *edges[] = {"x>y"};
    causa_dataset *ds = make_data(N, 2, cols, names);
    causa_graph *g = make_dag(2, names, edges, 1);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_LINEAR;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &scm, &r));
    causa_fit_node nd;
    CHECK_OK(causa_fit_report_node(r, 1, &nd));
    CHECK(nd.check_pvalue < 1e-4);
    CHECK_INT(nd.check_rows, N);
    CHECK(!isnan(nd.cv_error)); /* a forced family is still cross-validated */
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

/* ---- discrete nodes: tables and logistic, from a sampled model ---- */

TEST(fit_discrete_recovers_tables) {
    /* A -> B, A -> C, X -> C: A, B discrete tables; X continuous; C discrete with a
     * continuous parent (logistic). */
    const char *names[] = {"A", "B", "X", "C"};
    const char *edges[] = {"A>B", "A>C", "X>C"};
    causa_graph *g = make_dag(4, names, edges, 3);
    causa_scm *truth = NULL;
    CHECK_OK(causa_scm_new(T, g, &truth));
    CHECK_OK(causa_scm_set_discrete(T, truth, 0, 2, NULL));
    CHECK_OK(causa_scm_set_discrete(T, truth, 1, 3, NULL));
    CHECK_OK(causa_scm_set_discrete(T, truth, 3, 2, NULL));
    const double pa[] = {0.3, 0.7}, pb[] = {0.6, 0.3, 0.1, 0.1, 0.2, 0.7};
    CHECK_OK(causa_scm_set_cpt(T, truth, 0, pa));
    CHECK_OK(causa_scm_set_cpt(T, truth, 1, pb));
    causa_dist nx = causa_dist_gaussian(0.0, 1.0);
    CHECK_OK(causa_scm_set_root(T, truth, 2, &nx));
    const double lc[] = {0, 0, 0, -0.5, 1.5, 2.0}; /* level 1: c = -0.5, w_A = 1.5, w_X = 2 */
    CHECK_OK(causa_scm_set_logistic(T, truth, 3, lc));
    causa_dataset *ds = NULL;
    causa_scm_query_options q;
    causa_scm_query_options_init(&q);
    q.seed = 99;
    CHECK_OK(causa_scm_sample(T, truth, 20000, &q, &ds));
    causa_scm *fit = NULL;
    causa_fit_report *r = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, NULL, &fit, &r));
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(fit, 1, &m));
    CHECK_INT(m.kind, CAUSA_MECH_CPT);
    CHECK_INT(m.ncoefs, 6);
    for (int k = 0; k < 6; k++) CHECK_ABS(m.coefs[k], pb[k], 0.03);
    CHECK_OK(causa_scm_mechanism(fit, 0, &m));
    CHECK_INT(m.kind, CAUSA_MECH_CPT);
    CHECK_ABS(m.coefs[0], 0.3, 0.02);
    CHECK_OK(causa_scm_mechanism(fit, 3, &m));
    CHECK_INT(m.kind, CAUSA_MECH_LOGISTIC);
    CHECK_ABS(m.coefs[3], -0.5, 0.15);
    CHECK_ABS(m.coefs[4], 1.5, 0.15);
    CHECK_ABS(m.coefs[5], 2.0, 0.15);
    causa_fit_node nd;
    CHECK_OK(causa_fit_report_node(r, 1, &nd));
    CHECK(!isnan(nd.cv[CAUSA_FIT_LOGISTIC]) && !isnan(nd.cv[CAUSA_FIT_CPT]));
    CHECK(isnan(nd.check_pvalue));
    causa_fit_report_free(r);
    causa_scm_free(fit);
    causa_dataset_free(ds);
    causa_scm_free(truth);
    causa_graph_free(g);
}

TEST(fit_recovers_a_sampled_linear_model) {
    causa_graph *g = NULL;
    CHECK_OK(causa_graph_random_dag(T, 8, 3.0, 11, &g));
    causa_scm *truth = NULL;
    CHECK_OK(causa_scm_new(T, g, &truth));
    causa_rng rng;
    causa_rng_init(&rng, 3, 0);
    double w[8];
    for (int64_t v = 0; v < 8; v++) {
        int64_t np = 0;
        causa_scm_parents(truth, v, &np);
        for (int64_t k = 0; k < np; k++) w[k] = (causa_rng_uniform(&rng) < 0.5 ? -1 : 1) * (0.5 + causa_rng_uniform(&rng));
        causa_dist nz = causa_dist_gaussian(0.0, 0.5 + 0.5 * causa_rng_uniform(&rng));
        if (np == 0) CHECK_OK(causa_scm_set_root(T, truth, v, &nz));
        else CHECK_OK(causa_scm_set_linear(T, truth, v, 0.1 * (double)v, w, &nz));
    }
    causa_dataset *ds = NULL;
    CHECK_OK(causa_scm_sample(T, truth, 50000, NULL, &ds));
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_LINEAR;
    o.folds = 0;
    o.check_rows = 0;
    causa_scm *fit = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &fit, NULL));
    for (int64_t v = 0; v < 8; v++) {
        causa_mechanism a, b;
        causa_scm_mechanism(truth, v, &a);
        causa_scm_mechanism(fit, v, &b);
        CHECK_INT(b.kind, a.kind);
        CHECK_INT(b.ncoefs, a.ncoefs);
        for (int64_t k = 0; k < a.ncoefs; k++) CHECK_ABS(b.coefs[k], a.coefs[k], 0.02);
        if (a.kind == CAUSA_MECH_LINEAR) CHECK_ABS(b.intercept, a.intercept, 0.02);
        CHECK_ABS(b.noise.scale, a.noise.scale, 0.02);
    }
    causa_scm_free(fit);
    causa_dataset_free(ds);
    causa_scm_free(truth);
    causa_graph_free(g);
}

TEST(fit_spline_and_empirical_noise) {
    enum { N = 500 };
    static double x[N], y[N];
    causa_rng rng;
    causa_rng_init(&rng, 8, 0);
    for (int i = 0; i < N; i++) {
        x[i] = 3.0 * causa_rng_uniform(&rng);
        y[i] = exp(-x[i]) + 0.05 * causa_rng_laplace(&rng, 1.0);
    }
    const double *cols[] = {x, y};
    const char *names[] = {"x", "y"};
    const char *edges[] = {"x>y"};
    causa_dataset *ds = make_data(N, 2, cols, names);
    causa_graph *g = make_dag(2, names, edges, 1);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.family = CAUSA_FIT_SPLINE;
    o.noise = CAUSA_FIT_NOISE_EMPIRICAL;
    causa_scm *scm = NULL;
    CHECK_OK(causa_scm_fit(T, ds, g, &o, &scm, NULL));
    causa_mechanism m;
    CHECK_OK(causa_scm_mechanism(scm, 1, &m));
    CHECK_INT(m.kind, CAUSA_MECH_SPLINE);
    CHECK_INT(m.degree, 3);
    CHECK_INT(m.nknots[0], 7);
    CHECK_INT(m.ncoefs, 9);
    CHECK_INT(m.noise.kind, CAUSA_DIST_EMPIRICAL);
    CHECK_INT(m.noise.nvalues, N);
    /* The spline follows exp(-x) closely. */
    double pred[N];
    CHECK_OK(causa_scm_predict(T, scm, 1, ds, pred));
    double worst = 0.0;
    for (int i = 0; i < N; i++) worst = fmax(worst, fabs(pred[i] - exp(-x[i])));
    CHECK(worst < 0.05);
    /* residuals + prediction = data exactly */
    for (int i = 0; i < N; i++) CHECK_ABS(pred[i] + m.noise.values[i], y[i], 1e-12);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

/* ---- the graph and the data must agree ---- */

TEST(fit_graph_data_mismatch) {
    const double *cols[] = {lin_x1, lin_x2, lin_y};
    const char *names[] = {"x1", "x2", "y"};
    causa_dataset *ds = make_data(40, 3, cols, names);
    /* A node the data lacks. */
    const char *gn[] = {"x1", "x2", "y", "w"};
    const char *e1[] = {"x1>y"};
    causa_graph *g = make_dag(4, gn, e1, 1);
    causa_scm *scm = NULL;
    CHECK_ERR(causa_scm_fit(T, ds, g, NULL, &scm, NULL), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "node 'w' of the graph is not a column of the data");
    CHECK(scm == NULL);
    causa_graph_free(g);
    /* A column the graph lacks. */
    g = make_dag(2, names, e1, 0);
    CHECK_ERR(causa_scm_fit(T, ds, g, NULL, &scm, NULL), CAUSA_ENOTFOUND);
    CHECK_CONTAINS(causa_errmsg(T), "column 'y' of the data is not a node of the graph");
    causa_graph_free(g);
    /* A cycle. */
    const char *e2[] = {"x1>x2", "x2>y", "y>x1"};
    g = make_dag(3, names, e2, 3);
    CHECK_ERR(causa_scm_fit(T, ds, g, NULL, &scm, NULL), CAUSA_ECYCLE);
    CHECK_CONTAINS(causa_errmsg(T), "directed cycle x1 -> x2 -> y -> x1");
    causa_graph_free(g);
    /* An undirected edge. */
    g = make_dag(3, names, e1, 0);
    CHECK_OK(causa_graph_add_edge(T, g, 0, 2, CAUSA_MARK_TAIL, CAUSA_MARK_TAIL));
    CHECK_ERR(causa_scm_fit(T, ds, g, NULL, &scm, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "x1 --- y is not directed");
    causa_graph_free(g);
    /* Options. */
    g = make_dag(3, names, e1, 1);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.folds = 1;
    CHECK_ERR(causa_scm_fit(T, ds, g, &o, &scm, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "folds");
    causa_fit_options_init(&o);
    o.folds = 0;
    CHECK_ERR(causa_scm_fit(T, ds, g, &o, &scm, NULL), CAUSA_EINVAL);
    CHECK_CONTAINS(causa_errmsg(T), "auto chooses by cross-validation");
    CHECK_ERR(causa_scm_fit(T, NULL, g, NULL, &scm, NULL), CAUSA_EMISUSE);
    CHECK_STR(causa_fit_family_name(CAUSA_FIT_POLY2), "poly2");
    CHECK_INT(causa_fit_family_from_name("Spline"), CAUSA_FIT_SPLINE);
    CHECK_INT(causa_fit_family_from_name("mlp"), -1);
    causa_graph_free(g);
    causa_dataset_free(ds);
}

/* ---- out of memory everywhere ---- */

static int fit_job(causa_ctx *ctx, void *ud) {
    (void)ud;
    static double x[30], y[30], c[30];
    for (int i = 0; i < 30; i++) {
        x[i] = sin(1.7 * i);
        y[i] = x[i] * x[i] + 0.1 * cos(3.1 * i);
        c[i] = (double)(i % 3 == 0) + (double)(x[i] > 0.5);
    }
    const char *names[] = {"x", "y", "c"};
    causa_dataset *ds = NULL;
    causa_graph *g = NULL;
    causa_scm *scm = NULL;
    causa_fit_report *r = NULL;
    char *text = NULL;
    int rc = causa_dataset_new(ctx, 30, 3, &ds);
    if (rc) goto done;
    double *d = causa_dataset_data_mut(ds);
    memcpy(d, x, sizeof x);
    memcpy(d + 30, y, sizeof y);
    memcpy(d + 60, c, sizeof c);
    for (int j = 0; j < 3 && !rc; j++) rc = causa_dataset_set_name(ctx, ds, j, names[j]);
    const char *lv[] = {"lo", "mid", "hi"};
    if (!rc) rc = causa_dataset_set_discrete(ctx, ds, 2, 3, lv);
    if (!rc) rc = causa_graph_new(ctx, 3, names, &g);
    if (!rc) rc = causa_graph_add_edge(ctx, g, 0, 1, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
    if (!rc) rc = causa_graph_add_edge(ctx, g, 0, 2, CAUSA_MARK_TAIL, CAUSA_MARK_ARROW);
    causa_fit_options o;
    causa_fit_options_init(&o);
    o.folds = 2;
    o.check_rows = 10;
    if (!rc) rc = causa_scm_fit(ctx, ds, g, &o, &scm, &r);
    if (!rc) rc = causa_fit_report_text(ctx, r, 0, 0, &text, NULL);
    causa_free(ctx, text);
    text = NULL;
    if (!rc) rc = causa_fit_report_text(ctx, r, 1, 0, &text, NULL);
done:
    causa_free(ctx, text);
    causa_fit_report_free(r);
    causa_scm_free(scm);
    causa_graph_free(g);
    causa_dataset_free(ds);
    return rc;
}

TEST(fit_out_of_memory) { CHECK(harness_oom_sweep("causa_scm_fit", fit_job, NULL) > 20); }
