from django.core.management.base import BaseCommand
from django.utils import timezone

from lijian.accounts.models import User
from lijian.core.daily import daily_run
from lijian.core.management.commands._progress import TerminalProgress
from lijian.core.messages import HANDOVER_KINDS
from lijian.core.models import Message
from lijian.demo.accounts import ensure_accounts, link_group_accounts
from lijian.demo.governance import ensure_governance
from lijian.demo.guidance import ensure_guidance
from lijian.demo.notices import ensure_notices
from lijian.demo.patrol import ensure_patrol_rectification
from lijian.demo.people import ensure_pools
from lijian.demo.rectification import ensure_rectification
from lijian.demo.rounds import ensure_rounds
from lijian.demo.tianjin import load_world
from lijian.demo.vocabulary.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from lijian.findings.models import Clue, Problem
from lijian.inspections.planner.gap import deterministic_search


class Command(BaseCommand):
    help = "载入天津演示数据并创建各角色的演示账号（可重复运行：已有的不会重复创建或改动）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-rounds",
            action="store_true",
            help="只载入组织、机构、人才库和账号，不安排本届的巡视巡察轮次（快，供测试使用）。",
        )

    def handle(self, *args, **options):
        # The optimiser staffs the demo's rounds here, in this thread (``background=False``): searching
        # deterministically makes the same code give the same world on any machine at any load.
        with deterministic_search():
            self._load(options)

    def _load(self, options) -> None:
        # The administrator comes first: the world is imported in their name, as an office would do.
        ensure_accounts(DEMO_ACCOUNTS[:1])
        admin = User.objects.get(username=DEMO_ACCOUNTS[0][0])
        with TerminalProgress(self.stdout) as progress:
            counts = load_world(admin, progress=progress)
        changed = sum(n for c in counts.values() for n in c.values())
        self.stdout.write(
            f"天津演示数据：新增或更新 {changed} 条记录。" if changed else "天津演示数据已是最新，无需改动。"
        )
        pools = ensure_pools(admin)
        if pools:
            self.stdout.write(f"人才库：新增 {pools.get('cadres.csv', {}).get('created', 0)} 人。")
        rows = ensure_accounts(DEMO_ACCOUNTS)  # the rounds act through the office, leader and department
        if not options["without_rounds"]:
            self._term(admin)
        link_group_accounts()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        width = max(len(r["username"]) for r in rows)
        for r in rows:
            self.stdout.write(
                f"  {r['username'].ljust(width)}  {r['role']} · {r['scope']} · {r['full_name']}"
                + ("  （需动态验证码）" if r.get("totp") else "")
            )
        if any(r.get("totp") for r in rows):
            self.stdout.write(
                "标注“需动态验证码”的账号登录时还要填写 6 位动态验证码：没有手机身份验证器时，"
                "另开一个终端运行 .venv/bin/lijian demo-otp <用户名> 即可得到当前的验证码（每个验证码只能用一次）。"
            )

    def _term(self, admin) -> None:
        """The term's rounds, then the city's and the patrols' rectification, then one run of the daily
        job so what is overdue today is escalated and its people told, as the server's daily job would
        have done."""
        started = timezone.now()
        with TerminalProgress(self.stdout, unit="轮") as progress:
            rounds = ensure_rounds(admin, progress)
        if rounds:
            self.stdout.write(f"巡视巡察：由全覆盖规划和编组求解器安排了 {rounds} 轮。")
        with TerminalProgress(self.stdout, unit="个") as progress:
            rectified = ensure_rectification(progress)
        if rectified:
            self.stdout.write(
                f"整改：{rectified['tasks']} 项整改任务；整改落实到位率低于警戒线的 "
                f"{rectified['self_criticisms']} 个党组织已责令深刻检查（此前各次通报时责令的 "
                f"{rectified['earlier_self_criticisms']} 份均已通过），约谈 {rectified['interviews']} 个单位"
                f"“一把手”，问责 {rectified['accountability']} 人。"
            )
        with TerminalProgress(self.stdout, unit="个") as progress:
            patrol = ensure_patrol_rectification(progress)
        if patrol:
            self.stdout.write(
                f"巡察：{patrol['bodies']} 个区、高校和部门巡察机构发现问题 {patrol['problems']} 个、移交线索 "
                f"{patrol['clues']} 条；{patrol['organizations']} 个党组织制定整改任务 {patrol['tasks']} 项，"
                f"销号 {patrol['closed']} 个问题，{patrol['below']} 个党组织整改落实到位率低于警戒线。"
            )
        guided = self._committee()
        if rounds or rectified or patrol or guided:
            # The term replayed is history: each hand-over it told someone of (a draft to approve, a
            # clue to answer, a task to accept …) was acted on long ago, so it is read; what is
            # overdue today reaches each person as today's digest.
            Message.objects.filter(
                created_at__gte=started, kind__in=HANDOVER_KINDS, read_at__isnull=True
            ).update(read_at=timezone.now())
            counts = daily_run()
            self.stdout.write(
                f"发现问题 {Problem.objects.count()} 个，移交问题线索 {Clue.objects.count()} 条"
                f"（超期未反馈 {counts['clues']} 条已督办）；每日督办：超期整改任务 {counts['tasks']} 项、"
                f"深刻检查 {counts['self_criticisms']} 份，通知 {counts['notices']} 人次（每人一条当日督办消息，"
                f"共 {counts['digests']} 条）。"
            )

    def _committee(self) -> bool:
        """The committee's own work (meetings, instructions, rules, cases exposed), its guidance of
        the districts' patrol work (last year's reviews, self-inspection and assessment) and the
        notices the office issued from them, each once; whether anything was added."""
        with TerminalProgress(self.stdout, unit="项") as progress:
            governance = ensure_governance(progress)
        if governance:
            self.stdout.write(
                f"主体责任：党的十九大以来市委常委会等会议 {governance['meetings']} 次，批示 "
                f"{governance['instructions']} 件，制度规定 {governance['regulations']} 项，公开曝光 "
                f"{governance['exposures']} 次。"
            )
        with TerminalProgress(self.stdout, unit="个") as progress:
            guidance = ensure_guidance(progress)
        if guidance:
            self.stdout.write(
                f"指导督导：审阅区委书记专题会材料 {guidance['material_reviews']} 份，自查事项 "
                f"{guidance['self_inspection_items']} 项，年度考核确定点名通报 {guidance['naming_candidates']} 个对象。"
            )
        with TerminalProgress(self.stdout, unit="份") as progress:
            notices = ensure_notices(progress)
        if notices:
            self.stdout.write(
                f"通报：市委巡视办印发整改情况通报 {notices['rectification_notice']} 份、点名道姓通报 "
                f"{notices['naming_notice']} 份、自查情况通报 {notices['self_inspection_notice']} 份"
                "（Word 和 PDF 文件由后台任务生成）。"
            )
        return bool(governance or guidance or notices)
